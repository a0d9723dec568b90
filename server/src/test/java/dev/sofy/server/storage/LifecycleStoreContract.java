package dev.sofy.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sofy.server.delivery.AwaitedReceipt;
import dev.sofy.server.delivery.CarrierEvent.DeliveryReceipt;
import dev.sofy.server.delivery.CarrierEvent.Outcome;
import dev.sofy.server.delivery.Claimed;
import dev.sofy.server.delivery.Transition;
import dev.sofy.server.sms.Message;
import dev.sofy.server.sms.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** What {@link JdbiLifecycleStore} promises the dispatcher, on any database. */
abstract class LifecycleStoreContract extends StoreContract {
    private static final Instant LEASE = NOW.plusSeconds(300);

    private int created;

    /** A pending SMS created {@code created} microseconds after T0, valid for a day. */
    private String pending() {
        String id = String.format("lifecycle-sms-%07d", ++created);
        Instant at = T0.plusNanos(created * 1_000L);
        sms.insert(new Message(id, accountId, "APITEST", "33612345678", "Hello " + created, true, false,
                Status.PENDING, "", at, at, 1, "GSM-7", at.plus(Duration.ofDays(1)), null, null), List.of(), null).join();
        return id;
    }

    private Message find(String id) {
        return sms.find(accountId, id).orElseThrow();
    }

    private void record(Transition transition) {
        lifecycle.record(transition).join();
    }

    private List<String> claim(String node, int max, Instant now) {
        return lifecycle.claimDue(node, max, now, now.plusSeconds(300)).stream().map(Claimed::smsId).toList();
    }

    private List<String> history(String id) {
        return database.jdbi().withHandle(handle -> handle.createQuery(
                        "SELECT status FROM sms_status_change WHERE sms_id = :id ORDER BY id")
                .bind("id", id).mapTo(String.class).list());
    }

    private static DeliveryReceipt receipt(String carrierId, Outcome outcome, String errorCode) {
        return new DeliveryReceipt("mainland", carrierId, outcome, errorCode, NOW);
    }

    @Test
    void pendingSmsAreClaimedInTheOrderTheyBecameDue() {
        String first = pending();
        String second = pending();
        String third = pending();

        assertEquals(List.of(first, second), claim("node-a", 2, NOW));
        assertEquals(List.of(third), claim("node-a", 2, NOW));
    }

    @Test
    void aClaimedSmsIsNotClaimedAgainWhileItsLeaseLasts() {
        pending();
        claim("node-a", 10, NOW);

        assertEquals(List.of(), claim("node-b", 10, NOW.plusSeconds(299)));
    }

    @Test
    void anSmsWhoseLeaseEndedIsClaimedAgain() {
        String id = pending();
        claim("node-a", 10, NOW);

        assertEquals(List.of(id), claim("node-b", 10, NOW.plusSeconds(301)));
    }

    @Test
    void aNodeThatRestartsFreesItsClaimsAtOnce() {
        String id = pending();
        claim("node-a", 10, NOW);

        assertEquals(1, lifecycle.releaseClaims("node-a", NOW));

        assertEquals(List.of(id), claim("node-a", 10, NOW));
    }

    @Test
    void twoNodesClaimingAtTheSameTimeGetEachSmsOnce() throws InterruptedException {
        Set<String> all = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            all.add(pending());
        }
        Set<String> claimed = ConcurrentHashMap.newKeySet();
        List<String> duplicates = new ArrayList<>();
        var start = new CountDownLatch(1);
        List<Thread> nodes = new ArrayList<>();
        for (String node : List.of("node-a", "node-b")) {
            var thread = new Thread(() -> {
                try {
                    start.await();
                    List<String> got;
                    do {
                        got = claim(node, 7, NOW);
                        for (String id : got) {
                            if (!claimed.add(id)) {
                                synchronized (duplicates) {
                                    duplicates.add(id);
                                }
                            }
                        }
                    } while (!got.isEmpty());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            thread.start();
            nodes.add(thread);
        }
        start.countDown();
        for (Thread node : nodes) {
            node.join();
        }

        assertEquals(List.of(), duplicates);
        assertEquals(all, claimed);
    }

    @Test
    void aSubmittedSmsIsSentAtTheTimeItWasSubmitted() {
        String id = pending();
        claim("node-a", 10, NOW);

        record(new Transition.Sent(id, "mainland", List.of("carrier-1"), NOW));

        Message sent = find(id);
        assertEquals(Status.SENT, sent.status());
        assertEquals("", sent.statusReason());
        assertEquals(NOW, sent.updatedAt());
        assertEquals(List.of(), claim("node-b", 10, NOW.plusSeconds(600)));
    }

    @Test
    void aDeliveredReceiptForEveryPartMakesTheSmsDelivered() {
        String id = pending();
        record(new Transition.Sent(id, "mainland", List.of("part-1", "part-2"), NOW));

        record(new Transition.Receipt(receipt("part-1", Outcome.DELIVERED, "000")));
        assertEquals(Status.SENT, find(id).status());
        record(new Transition.Receipt(receipt("part-2", Outcome.DELIVERED, "000")));

        assertEquals(Status.DELIVERED, find(id).status());
        assertEquals("", find(id).statusReason());
    }

    @Test
    void anUndeliveredPartMakesTheSmsUndeliveredWithItsErrorCode() {
        String id = pending();
        record(new Transition.Sent(id, "mainland", List.of("part-1", "part-2"), NOW));

        record(new Transition.Receipt(receipt("part-1", Outcome.DELIVERED, "000")));
        record(new Transition.Receipt(receipt("part-2", Outcome.UNDELIVERED, "034")));

        assertEquals(Status.UNDELIVERED, find(id).status());
        assertEquals("undelivered: error 034", find(id).statusReason());
    }

    @Test
    void anExpiredReceiptMakesTheSmsUndeliveredAsExpired() {
        String id = pending();
        record(new Transition.Sent(id, "mainland", List.of("part-1"), NOW));

        record(new Transition.Receipt(receipt("part-1", Outcome.EXPIRED, null)));

        assertEquals(Status.UNDELIVERED, find(id).status());
        assertEquals("expired", find(id).statusReason());
    }

    @Test
    void aReceiptThatComesBeforeItsSubmissionIsAppliedWhenTheSubmissionIsRecorded() {
        String id = pending();

        record(new Transition.Receipt(receipt("early-1", Outcome.DELIVERED, "000")));
        record(new Transition.Sent(id, "mainland", List.of("early-1"), NOW));

        assertEquals(Status.DELIVERED, find(id).status());
    }

    @Test
    void twoCarriersThatIssueTheSameIdEachHaveTheirReceiptApplied() {
        String viaMainland = pending();
        String viaFallback = pending();
        record(new Transition.Sent(viaMainland, "mainland", List.of("same-id"), NOW));
        record(new Transition.Sent(viaFallback, "fallback", List.of("same-id"), NOW));

        record(new Transition.Receipt(new DeliveryReceipt("fallback", "same-id", Outcome.UNDELIVERED, "034", NOW)));
        record(new Transition.Receipt(new DeliveryReceipt("mainland", "same-id", Outcome.DELIVERED, null, NOW)));

        assertEquals(List.of(Status.DELIVERED, Status.UNDELIVERED),
                List.of(find(viaMainland).status(), find(viaFallback).status()));
    }

    @Test
    void aReceiptFromAnotherCarrierThanTheOneThatTookThePartLeavesItSent() {
        String id = pending();
        record(new Transition.Sent(id, "mainland", List.of("part-1"), NOW));

        record(new Transition.Receipt(new DeliveryReceipt("fallback", "part-1", Outcome.DELIVERED, null, NOW)));

        assertEquals(Status.SENT, find(id).status());
    }

    @Test
    void anEarlyReceiptIsAppliedOnlyToThePartOfItsCarrier() {
        String viaFallback = pending();

        record(new Transition.Receipt(new DeliveryReceipt("mainland", "early-1", Outcome.DELIVERED, null, NOW)));
        record(new Transition.Sent(viaFallback, "fallback", List.of("early-1"), NOW));

        assertEquals(Status.SENT, find(viaFallback).status());
    }

    @Test
    void aSentSmsNamesTheCarrierThatTookIt() {
        String id = pending();

        record(new Transition.Sent(id, "fallback", List.of("part-1"), NOW));

        assertEquals("fallback", find(id).carrier());
    }

    @Test
    void aPendingSmsNamesNoCarrier() {
        assertNull(find(pending()).carrier());
    }

    @Test
    void partsAwaitingTheirReceiptAreFoundOnceTheyWaitedAndNotAgainOnceAsked() {
        String id = pending();
        record(new Transition.Sent(id, "mainland", List.of("part-1"), NOW));
        List<String> carriers = List.of("mainland");

        List<AwaitedReceipt> due = lifecycle.awaitingReceipts(carriers, NOW, 10);
        lifecycle.markQueried(due, NOW.plusSeconds(1));

        assertEquals(List.of(List.of(new AwaitedReceipt(id, 1, "mainland", "part-1", "APITEST")), List.of(),
                        List.of()),
                List.of(due, lifecycle.awaitingReceipts(carriers, NOW, 10),
                        lifecycle.awaitingReceipts(List.of("fallback"), NOW.plusSeconds(60), 10)));
    }

    @Test
    void aRepeatedReceiptChangesNothing() {
        String id = pending();
        record(new Transition.Sent(id, "mainland", List.of("part-1"), NOW));
        record(new Transition.Receipt(receipt("part-1", Outcome.DELIVERED, "000")));

        record(new Transition.Receipt(receipt("part-1", Outcome.UNDELIVERED, "001")));

        assertEquals(Status.DELIVERED, find(id).status());
        assertEquals(List.of("sent", "delivered"), history(id));
    }

    @Test
    void aRejectedSmsIsErroredWithTheReason() {
        String id = pending();

        record(new Transition.Errored(id, "rejected by the carrier: smsc-rejected:0x0000000B", NOW));

        assertEquals(Status.ERRORED, find(id).status());
        assertEquals("rejected by the carrier: smsc-rejected:0x0000000B", find(id).statusReason());
    }

    @Test
    void anSmsToRetryIsDueOnlyFromItsNextAttempt() {
        String id = pending();
        claim("node-a", 10, NOW);

        record(new Transition.RetryLater(id, NOW.plusSeconds(30)));

        assertEquals(List.of(), claim("node-a", 10, NOW.plusSeconds(29)));
        assertEquals(List.of(id), claim("node-a", 10, NOW.plusSeconds(30)));
    }

    @Test
    void aHeldSmsIsDueOnlyWhenItsHoldEnds() {
        String id = "lifecycle-held-000001";
        Instant until = NOW.plusSeconds(3600);
        sms.insert(new Message(id, accountId, "APITEST", "33612345678", "Promo", false, false,
                Status.PENDING, "", T0, T0, 1, "GSM-7",
                T0.plus(Duration.ofDays(2)), null, until), List.of(), null).join();

        assertEquals(List.of(), claim("node-a", 10, until.minusSeconds(1)));
        assertEquals(List.of(id), claim("node-a", 10, until));
    }

    @Test
    void anSmsHeldAtDispatchShowsWhenItsHoldEndsAndIsDueThen() {
        String id = pending();
        claim("node-a", 10, NOW);
        Instant until = NOW.plusSeconds(3600);

        record(new Transition.Held(id, until));

        assertEquals(until, find(id).heldUntil());
        assertEquals(List.of(), claim("node-b", 10, until.minusSeconds(1)));
        assertEquals(List.of(id), claim("node-b", 10, until));
    }

    @Test
    void aClaimedSmsIsNoLongerShownAsHeld() {
        String id = "lifecycle-held-000002";
        Instant until = NOW.plusSeconds(3600);
        sms.insert(new Message(id, accountId, "APITEST", "33612345678", "Promo", false, false,
                Status.PENDING, "", T0, T0, 1, "GSM-7", T0.plus(Duration.ofDays(2)), null, until), List.of(), null).join();

        claim("node-a", 10, until);

        assertNull(find(id).heldUntil());
    }

    @Test
    void heldSmsDoNotKeepDueOnesFromBeingClaimed() {
        Instant until = NOW.plusSeconds(3600);
        for (int i = 0; i < 20; i++) {
            sms.insert(new Message(String.format("lifecycle-held-%06d", i), accountId, "APITEST",
                    "33612345678", "Promo", false, false, Status.PENDING, "", T0, T0, 1, "GSM-7",
                    T0.plus(Duration.ofDays(2)), null, until), List.of(), null).join();
        }
        String due = pending();

        assertEquals(List.of(due), claim("node-a", 5, NOW));
    }

    @Test
    void aSentSmsWithoutReceiptIsErroredWhenItsValidityEnds() {
        String id = pending();
        record(new Transition.Sent(id, "mainland", List.of("part-1"), NOW));

        record(new Transition.Expire(T0.plus(Duration.ofDays(1)).plusSeconds(1)));

        assertEquals(Status.ERRORED, find(id).status());
        assertEquals(JdbiLifecycleStore.NO_RECEIPT, find(id).statusReason());
    }

    @Test
    void aPendingSmsNotSubmittedBeforeItsValidityEndsIsErrored() {
        String id = pending();

        record(new Transition.Expire(T0.plus(Duration.ofDays(1)).plusSeconds(1)));

        assertEquals(Status.ERRORED, find(id).status());
        assertEquals(JdbiLifecycleStore.NOT_SUBMITTED, find(id).statusReason());
    }

    @Test
    void anSmsStillValidIsNotExpired() {
        String id = pending();
        record(new Transition.Sent(id, "mainland", List.of("part-1"), NOW));

        record(new Transition.Expire(NOW));

        assertEquals(Status.SENT, find(id).status());
    }

    @Test
    void everyStatusChangeIsRecordedInOrder() {
        String id = pending();

        record(new Transition.Sent(id, "mainland", List.of("part-1"), NOW));
        record(new Transition.Receipt(receipt("part-1", Outcome.DELIVERED, "000")));

        assertEquals(List.of("sent", "delivered"), history(id));
    }

    @Test
    void manyTransitionsAtOnceAreAllApplied() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            ids.add(pending());
        }
        List<java.util.concurrent.CompletableFuture<Void>> recorded = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            recorded.add(lifecycle.record(new Transition.Sent(ids.get(i), "mainland", List.of("bulk-" + i), NOW)));
            recorded.add(lifecycle.record(
                    new Transition.Receipt(receipt("bulk-" + i, Outcome.DELIVERED, "000"))));
        }
        recorded.forEach(java.util.concurrent.CompletableFuture::join);

        ids.forEach(id -> assertEquals(Status.DELIVERED, find(id).status(), id));
        assertTrue(history(ids.get(0)).contains("delivered"));
    }
}
