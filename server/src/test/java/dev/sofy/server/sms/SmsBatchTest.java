package dev.sofy.server.sms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sofy.server.account.Account;
import dev.sofy.server.config.Config;
import dev.sofy.server.links.LinkShortener;
import dev.sofy.server.links.ShortCodes;
import dev.sofy.server.marketing.MarketingRules;
import dev.sofy.server.storage.CommitQueue;
import dev.sofy.server.storage.Database;
import dev.sofy.server.storage.JdbiKeyStore;
import dev.sofy.server.storage.JdbiSmsStore;
import dev.sofy.server.validation.ValidationException;
import dev.sofy.server.validation.Violation;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Batches of SMS, on a real database through the real store and commit queue: all or nothing,
 * one commit, the order of the answer, and idempotency over the whole batch.
 */
class SmsBatchTest {
    /** A Tuesday, 11:00 in Paris: French marketing SMS may go. */
    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    private static final IntConsumer ADMIT_ALL = count -> { };

    private Database database;
    private SimpleMeterRegistry metrics;
    private CommitQueue writes;
    private JdbiSmsStore store;
    private Account account;
    private SmsService service;

    @BeforeEach
    void openAnEmptyDatabase() {
        database = Database.open(Config.from(Map.of(
                "SOFY_DB_URL", "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1")));
        metrics = new SimpleMeterRegistry();
        writes = new CommitQueue(database.jdbi(), Clock.systemUTC(), metrics);
        store = new JdbiSmsStore(database.jdbi(), writes);
        var keys = new JdbiKeyStore(database.jdbi());
        keys.saveKey("acme", "key-of-acme", "a".repeat(64), null, null, NOW);
        account = keys.findKey("key-of-acme").orElseThrow().account();
        service = service(store);
    }

    @AfterEach
    void closeTheDatabase() {
        writes.close();
        database.close();
    }

    private SmsService service(SmsStore smsStore) {
        var shortener = new LinkShortener("https://sofy.test", new ShortCodes(10, new SecureRandom()));
        return new SmsService(smsStore, Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofHours(48), shortener::shorten,
                MarketingRules.defaults());
    }

    private static SmsToSend sms(String to, String body) {
        return new SmsToSend("Sofy", to, body, true, true);
    }

    private static List<SmsToSend> batch(int size) {
        List<SmsToSend> batch = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            batch.add(sms("3361234" + String.format("%04d", i), "Message " + i));
        }
        return batch;
    }

    private List<Message> stored() {
        return store.list(account.id(), 1_000, null, null, null, null, null);
    }

    @Test
    void theAnswerListsTheSmsInTheOrderGiven() {
        List<Accepted> accepted = service.sendBatch(account, batch(5), null, ADMIT_ALL).join();

        assertEquals(List.of("Message 0", "Message 1", "Message 2", "Message 3", "Message 4"),
                accepted.stream().map(one -> one.message().body()).toList());
    }

    @Test
    void everySmsOfABatchIsStored() {
        service.sendBatch(account, batch(5), null, ADMIT_ALL).join();

        assertEquals(5, stored().size());
    }

    @Test
    void theSmsOfABatchAreStoredInOneCommit() {
        service.sendBatch(account, batch(1_000), null, ADMIT_ALL).join();

        assertEquals(1, metrics.get("sofy.commit.batch.size").summary().count());
    }

    @Test
    void anInvalidMessageRefusesTheWholeBatchAndStoresNothing() {
        List<SmsToSend> batch = new ArrayList<>(batch(5));
        batch.set(3, sms("0612", "Message 3"));

        assertThrows(ValidationException.class, () -> service.sendBatch(account, batch, null, ADMIT_ALL));
        assertEquals(List.of(), stored());
    }

    @Test
    void everyBadFieldIsNamedByThePlaceOfItsMessage() {
        List<SmsToSend> batch = new ArrayList<>(batch(5));
        batch.set(1, new SmsToSend("!!", "33612345678", "Hello", true, true));
        batch.set(3, sms("0612", "Message 3"));

        var refused = assertThrows(ValidationException.class, () -> service.sendBatch(account, batch, null, ADMIT_ALL));

        assertEquals(List.of("messages[1].from", "messages[3].to"),
                refused.violations().stream().map(Violation::field).toList());
    }

    @Test
    void aBatchTheAdmissionRefusesStoresNothing() {
        IntConsumer overLimit = count -> {
            throw new IllegalStateException("over the limit");
        };

        assertThrows(IllegalStateException.class, () -> service.sendBatch(account, batch(5), null, overLimit));
        assertEquals(List.of(), stored());
    }

    @Test
    void theAdmissionIsToldHowManySmsTheBatchStores() {
        var told = new AtomicInteger();

        service.sendBatch(account, batch(7), null, told::set).join();

        assertEquals(7, told.get());
    }

    // Idempotency

    @Test
    void aRetryWithTheSameKeyGetsTheSameSmsInTheSameOrder() {
        List<Accepted> first = service.sendBatch(account, batch(5), "key-1", ADMIT_ALL).join();

        List<Accepted> retry = service.sendBatch(account, batch(5), "key-1", ADMIT_ALL).join();

        assertEquals(first.stream().map(Accepted::message).toList(), retry.stream().map(Accepted::message).toList());
    }

    @Test
    void aRetryOfABatchIsSaidToBeReplayed() {
        service.sendBatch(account, batch(2), "key-1", ADMIT_ALL).join();

        assertTrue(service.sendBatch(account, batch(2), "key-1", ADMIT_ALL).join().stream().allMatch(Accepted::replayed));
    }

    @Test
    void aRetryOfABatchStoresNothingNewAndIsNotAdmittedAgain() {
        service.sendBatch(account, batch(5), "key-1", ADMIT_ALL).join();
        var told = new AtomicInteger();

        service.sendBatch(account, batch(5), "key-1", told::addAndGet).join();

        assertEquals(List.of(5, 0), List.of(stored().size(), told.get()));
    }

    @Test
    void anotherBatchWithTheSameKeyIsRefused() {
        service.sendBatch(account, batch(5), "key-1", ADMIT_ALL).join();

        assertThrows(IdempotencyKeyReusedException.class,
                () -> service.sendBatch(account, batch(4), "key-1", ADMIT_ALL));
    }

    @Test
    void aSingleSmsWithTheKeyOfABatchOfOneIsRefused() {
        service.sendBatch(account, batch(1), "key-1", ADMIT_ALL).join();

        assertThrows(IdempotencyKeyReusedException.class, () -> service.send(account, batch(1).get(0), "key-1"));
    }

    @Test
    void aBatchWithTheKeyOfASingleSmsIsRefused() {
        service.send(account, batch(1).get(0), "key-1").join();

        assertThrows(IdempotencyKeyReusedException.class,
                () -> service.sendBatch(account, batch(1), "key-1", ADMIT_ALL));
    }

    @Test
    void aBatchWhoseKeyIsStillBeingStoredIsInUse() {
        service = service(new HeldInserts(store));
        service.sendBatch(account, batch(5), "key-1", ADMIT_ALL);

        assertThrows(IdempotencyKeyInUseException.class,
                () -> service.sendBatch(account, batch(5), "key-1", ADMIT_ALL));
    }

    @Test
    void aBatchWhoseKeyAnotherNodeStoredMeanwhileGetsThatNodesSmsAndStoresNothingTwice() {
        var held = new HeldInserts(store);
        CompletableFuture<List<Accepted>> here = service(held).sendBatch(account, batch(5), "key-1", ADMIT_ALL);
        List<Accepted> there = service(store).sendBatch(account, batch(5), "key-1", ADMIT_ALL).join();

        held.release();

        assertEquals(there.stream().map(one -> one.message().id()).toList(),
                here.join().stream().map(one -> one.message().id()).toList());
        assertEquals(5, stored().size());
    }

    @Test
    void aRefusedBatchIsNotRememberedSoItsKeyCanBeRetried() {
        List<SmsToSend> invalid = new ArrayList<>(batch(2));
        invalid.set(1, sms("0612", "Message 1"));
        assertThrows(ValidationException.class, () -> service.sendBatch(account, invalid, "key-1", ADMIT_ALL));

        assertFalse(service.sendBatch(account, batch(2), "key-1", ADMIT_ALL).join().get(0).replayed());
    }
}
