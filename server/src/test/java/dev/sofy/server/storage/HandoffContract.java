package dev.sofy.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sofy.server.delivery.Claimed;
import dev.sofy.server.delivery.Handoff;
import dev.sofy.server.marketing.OptOut;
import dev.sofy.server.sms.IdempotencyKey;
import dev.sofy.server.sms.Message;
import dev.sofy.server.sms.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * New SMS handed to a node's dispatcher as they commit, leased to the node in their insert, on
 * each database the server runs on. The hand-off here has room for {@link #ROOM} SMS.
 */
abstract class HandoffContract extends StoreContract {
    private static final int ROOM = 5;
    private static final Duration LEASE = Duration.ofMinutes(5);

    /** A dispatcher's side of the hand-off, as the test sees it. */
    private static final class Taken implements Handoff {
        private int room = ROOM;
        private int leftUnclaimed;
        private final List<Claimed> handedOver = new CopyOnWriteArrayList<>();

        @Override
        public synchronized boolean reserve() {
            if (room == 0) {
                return false;
            }
            room--;
            return true;
        }

        @Override
        public synchronized void giveBack(int reserved) {
            room += reserved;
        }

        @Override
        public String nodeId() {
            return "node-a";
        }

        @Override
        public Instant leaseUntil(Instant now) {
            return now.plus(LEASE);
        }

        @Override
        public synchronized void handOver(List<Claimed> sms, int unclaimed) {
            handedOver.addAll(sms);
            leftUnclaimed += unclaimed;
        }

        synchronized int room() {
            return room;
        }

        synchronized int leftUnclaimed() {
            return leftUnclaimed;
        }
    }

    private final Taken taken = new Taken();
    private JdbiSmsStore handingOver;
    private int created;

    @BeforeEach
    final void handOverToTheDispatcher() {
        handingOver = new JdbiSmsStore(database.jdbi(), writes, StatusChangeCounters.UNCOUNTED, taken);
    }

    private Message message(boolean transactional) {
        return new Message(String.format("handoff-sms-%09d", ++created), accountId, "APITEST", "33612345678",
                "Hello", true, transactional, Status.PENDING, "", NOW, NOW, 1, "GSM-7", NOW.plus(Duration.ofDays(1)),
                null, null);
    }

    private String insert(Message message) {
        handingOver.insert(message, List.of(), null).join();
        return message.id();
    }

    private List<String> claimedBy(String node, Instant at) {
        return lifecycle.claimDue(node, 100, at, at.plus(LEASE)).stream().map(Claimed::smsId).toList();
    }

    @Test
    void anSmsDueAtOnceIsHandedOverWithWhatAClaimWouldRead() {
        Message message = message(true);
        insert(message);

        assertEquals(List.of(new Claimed(message.id(), accountId, "acme", "APITEST", "33612345678", "Hello", true,
                false, 0, message.expiresAt())), taken.handedOver);
    }

    @Test
    void anSmsHandedOverIsLeasedToTheNodeInItsInsert() {
        String id = insert(message(true));

        List<Object> claim = database.jdbi().withHandle(handle -> handle.createQuery(
                        "SELECT claimed_by, claim_expires_at FROM sms WHERE id = :id")
                .bind("id", id)
                .map((row, context) -> List.<Object>of(row.getString(1), Rows.instant(row, "claim_expires_at")))
                .one());
        assertEquals(List.of("node-a", NOW.plus(LEASE)), claim);
    }

    @Test
    void anSmsHandedOverIsNotClaimedByAnotherNodeWhileItsLeaseLasts() {
        insert(message(true));

        assertEquals(List.of(), claimedBy("node-b", NOW.plus(LEASE).minusSeconds(1)));
    }

    @Test
    void anSmsHandedOverIsClaimedAgainOnceItsLeaseEnds() {
        String id = insert(message(true));

        assertEquals(List.of(id), claimedBy("node-b", NOW.plus(LEASE)));
    }

    @Test
    void aScheduledSmsIsNotHandedOver() {
        insert(message(true).withSendAt(NOW.plusSeconds(3600)));

        assertEquals(List.of(0, ROOM), List.of(taken.handedOver.size(), taken.room()));
    }

    @Test
    void anSmsTheDispatcherHasNoRoomForIsLeftForAClaim() {
        for (int i = 0; i < ROOM; i++) {
            insert(message(true));
        }
        String left = insert(message(true));

        assertEquals(List.of(left), claimedBy("node-a", NOW));
    }

    @Test
    void theDispatcherIsToldOfTheSmsDueAtOnceItHadNoRoomFor() {
        for (int i = 0; i < ROOM + 2; i++) {
            insert(message(true));
        }

        assertEquals(2, taken.leftUnclaimed());
    }

    @Test
    void anInsertThatFailsGivesItsRoomBack() {
        Message message = message(true);
        insert(message);

        assertThrows(CompletionException.class, () -> insert(message));

        assertEquals(ROOM - 1, taken.room());
    }

    @Test
    void aTransactionThatRollsBackAfterTheInsertGivesItsRoomBack() {
        Message first = message(true);
        handingOver.insert(first, List.of(), new IdempotencyKey("key-1", "a".repeat(64), first.id(), NOW)).join();
        Message second = message(true);

        // The insert of the SMS succeeds, and that of its key, taken already, fails.
        assertThrows(CompletionException.class, () -> handingOver.insert(second, List.of(),
                new IdempotencyKey("key-1", "a".repeat(64), second.id(), NOW)).join());

        assertEquals(ROOM - 1, taken.room());
    }

    @Test
    void aMarketingSmsToARecipientWhoOptedOutIsHandedOverSaying() {
        new JdbiOptOutStore(database.jdbi()).add(accountId, "33612345678", OptOut.Source.API, NOW);

        insert(message(false));

        assertTrue(taken.handedOver.get(0).recipientOptedOut());
    }
}
