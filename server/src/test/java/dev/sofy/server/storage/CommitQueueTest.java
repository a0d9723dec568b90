package dev.sofy.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sofy.server.config.Config;
import dev.sofy.server.delivery.Transition;
import dev.sofy.server.sms.Message;
import dev.sofy.server.sms.Status;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the commit queue orders the writes of the hot paths, and counts the new SMS that wait for
 * their commit, on H2.
 */
final class CommitQueueTest extends StoreContract {
    @TempDir
    Path directory;

    @Override
    protected Config emptyDatabase() throws Exception {
        return ContractDatabases.emptyH2(directory);
    }

    private Message pending(String id) {
        return new Message(id, accountId, "APITEST", "33612345678", "Hello", true, true, Status.PENDING, "", T0, T0,
                1, "GSM-7", T0.plus(Duration.ofDays(1)), null, null);
    }

    /**
     * Starts a transaction on {@code other} that inserts an SMS and does not end: the writer,
     * inserting the same id, waits for it to end, and what is queued meanwhile waits behind.
     */
    private void holdUp(Handle other, String id) {
        other.begin();
        other.execute("INSERT INTO sms (id, account_id, sender, recipient, body, shorten_urls, is_transactional, "
                + "status, status_reason, created_at, updated_at, segments, encoding, next_attempt_at) "
                + "VALUES (?, ?, 'APITEST', '33612345678', 'Hello', TRUE, TRUE, 'pending', '', ?, ?, 1, 'GSM-7', ?)",
                id, accountId, Rows.utc(T0), Rows.utc(T0), Rows.utc(T0));
    }

    @Test
    void everyKindOfWriteHasOnePlaceInTheCommitOrder() {
        Set<Class<?>> kinds = Set.of(WriteKind.class.getPermittedSubclasses());

        assertEquals(kinds, CommitQueue.COMMIT_ORDER.stream().map(Object::getClass).collect(Collectors.toSet()));
        assertEquals(kinds.size(), CommitQueue.COMMIT_ORDER.size());
    }

    @Test
    void anSmsAndItsSubmissionQueuedTogetherCommitInThatOrder() throws Exception {
        try (Handle other = database.jdbi().open()) {
            holdUp(other, "held-up-sms");
            CompletableFuture<Void> heldUp = sms.insert(pending("held-up-sms"), List.of(), null);
            Thread.sleep(200); // for the writer to take it and wait
            CompletableFuture<Void> inserted = sms.insert(pending("queued-sms"), List.of(), null);
            CompletableFuture<Void> sent = lifecycle.record(
                    new Transition.Sent("queued-sms", "mainland", List.of("carrier-1"), T0.plusSeconds(1)));
            other.rollback();
            heldUp.join();
            inserted.join();
            sent.join();
        }

        assertEquals(Status.SENT, sms.find(accountId, "queued-sms").orElseThrow().status());
    }

    @Test
    void anSmsWaitsForItsCommitUntilTheQueueCommitsIt() throws Exception {
        try (Handle other = database.jdbi().open()) {
            holdUp(other, "held-up-sms");
            CompletableFuture<Void> heldUp = sms.insert(pending("held-up-sms"), List.of(), null);
            CompletableFuture<Void> queued = sms.insert(pending("queued-sms"), List.of(), null);
            Thread.sleep(200);

            assertEquals(2, writes.newSmsAwaitingCommit());

            other.rollback();
            heldUp.join();
            queued.join();
        }
    }

    @Test
    void aCommittedSmsNoLongerWaits() {
        sms.insert(pending("committed-sms"), List.of(), null).join();

        assertEquals(0, writes.newSmsAwaitingCommit());
    }

    @Test
    void anSmsWhoseCommitFailedNoLongerWaits() {
        sms.insert(pending("same-id-sms"), List.of(), null).join();

        assertThrows(CompletionException.class, () -> sms.insert(pending("same-id-sms"), List.of(), null).join());

        assertEquals(0, writes.newSmsAwaitingCommit());
    }

    @Test
    void otherWritesAreNotCountedAsNewSms() throws Exception {
        String id = pendingSms();
        try (Handle other = database.jdbi().open()) {
            holdUp(other, "held-up-sms");
            CompletableFuture<Void> heldUp = sms.insert(pending("held-up-sms"), List.of(), null);
            CompletableFuture<Void> sent = lifecycle.record(new Transition.Sent(id, "mainland", List.of("carrier-1"), T0));
            Thread.sleep(200);

            assertEquals(1, writes.newSmsAwaitingCommit());

            other.rollback();
            heldUp.join();
            sent.join();
        }
    }
}
