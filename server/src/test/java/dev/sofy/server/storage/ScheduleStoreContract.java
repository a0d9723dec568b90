package dev.sofy.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sofy.server.delivery.Claimed;
import dev.sofy.server.delivery.Transition;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sofy.server.sms.Message;
import dev.sofy.server.sms.SmsStore.Cancellation;
import dev.sofy.server.sms.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Scheduled SMS, cancels and expiry before sending, on each database the server runs on. */
abstract class ScheduleStoreContract extends StoreContract {
    private static final Instant LATER = NOW.plus(Duration.ofDays(1));
    private static final String REASON = "canceled by the sender";

    private int created;

    /** A pending SMS due at {@code sendAt} (null: at once), valid until {@code expiresAt}. */
    private String scheduled(Instant sendAt, Instant expiresAt) {
        String id = String.format("schedule-sms-%08d", ++created);
        insert(id, sendAt, expiresAt).join();
        return id;
    }

    private CompletableFuture<Void> insert(String id, Instant sendAt, Instant expiresAt) {
        return sms.insert(new Message(id, accountId, "APITEST", "33612345678", "Hello", true, true, Status.PENDING, "",
                T0, T0, 1, "GSM-7", expiresAt, null, null).withSendAt(sendAt), List.of(), null);
    }

    private List<String> claim(Instant now) {
        return lifecycle.claimDue("node-a", 100, now, now.plusSeconds(300)).stream().map(Claimed::smsId).toList();
    }

    private Cancellation cancel(long account, String id) {
        return sms.cancel(account, id, REASON, NOW).join();
    }

    private Message find(String id) {
        return sms.find(accountId, id).orElseThrow();
    }

    private List<String> history(String id) {
        return database.jdbi().withHandle(handle -> handle.createQuery(
                        "SELECT status FROM sms_status_change WHERE sms_id = :id ORDER BY id")
                .bind("id", id).mapTo(String.class).list());
    }

    @Test
    void aScheduledSmsIsReadBackWithItsTime() {
        String id = scheduled(LATER, LATER.plusSeconds(600));

        assertEquals(LATER, find(id).sendAt());
    }

    @Test
    void aScheduledSmsIsNotClaimedBeforeItsTime() {
        scheduled(LATER, LATER.plusSeconds(600));

        assertEquals(List.of(), claim(LATER.minusNanos(1_000)));
    }

    @Test
    void aScheduledSmsIsClaimedAtItsTime() {
        String id = scheduled(LATER, LATER.plusSeconds(600));

        assertEquals(List.of(id), claim(LATER));
    }

    @Test
    void aScheduledSmsNobodyTookWithinItsValidityExpiresBeforeSending() {
        String id = scheduled(LATER, LATER.plusSeconds(600));

        lifecycle.record(new Transition.Expire(LATER.plusSeconds(600))).join();

        assertEquals(Status.ERRORED, find(id).status());
        assertEquals("expired before sending", find(id).statusReason());
    }

    @Test
    void anSmsTheCarrierKeptRefusingUntilItsValidityEndedExpiresAsCarrierUnavailable() {
        String id = scheduled(null, NOW.plusSeconds(600));
        claim(NOW);
        lifecycle.record(new Transition.RetryLater(id, NOW.plusSeconds(30))).join();

        lifecycle.record(new Transition.Expire(NOW.plusSeconds(600))).join();

        assertEquals("expired before sending: carrier unavailable", find(id).statusReason());
    }

    @Test
    void aPendingSmsIsCanceledWithItsReason() {
        String id = scheduled(LATER, LATER.plusSeconds(600));

        Message canceled = cancel(accountId, id).sms().orElseThrow();

        assertEquals(List.of(Status.CANCELED, REASON, NOW), List.of(canceled.status(), canceled.statusReason(),
                canceled.updatedAt()));
    }

    @Test
    void aCancelIsSaidToHaveCanceled() {
        String id = scheduled(LATER, LATER.plusSeconds(600));

        assertTrue(cancel(accountId, id).canceled());
    }

    @Test
    void aCancelIsAStatusChangeOfTheHistory() {
        String id = scheduled(LATER, LATER.plusSeconds(600));

        cancel(accountId, id);

        assertEquals(List.of("canceled"), history(id));
    }

    @Test
    void aCanceledSmsIsNeverClaimed() {
        String id = scheduled(LATER, LATER.plusSeconds(600));
        cancel(accountId, id);

        assertEquals(List.of(), claim(LATER));
    }

    @Test
    void anSmsADispatcherHoldsIsNotCanceled() {
        String id = scheduled(null, LATER);
        claim(NOW);

        Cancellation refused = cancel(accountId, id);

        assertEquals(List.of(false, Status.PENDING), List.of(refused.canceled(), refused.sms().orElseThrow().status()));
    }

    @Test
    void anSmsHeldForItsSendingWindowIsCanceled() {
        String id = scheduled(null, LATER);
        claim(NOW);
        lifecycle.record(new Transition.Held(id, LATER.minusSeconds(3600))).join();

        assertTrue(cancel(accountId, id).canceled());
    }

    @Test
    void anSmsWaitingForTheCarrierToBeTriedAgainIsCanceled() {
        String id = scheduled(null, LATER);
        claim(NOW);
        lifecycle.record(new Transition.RetryLater(id, NOW.plusSeconds(30))).join();

        assertTrue(cancel(accountId, id).canceled());
    }

    @Test
    void aCanceledSmsNoLongerSaysItIsHeld() {
        String id = scheduled(null, LATER);
        claim(NOW);
        lifecycle.record(new Transition.Held(id, LATER.minusSeconds(3600))).join();

        assertNull(cancel(accountId, id).sms().orElseThrow().heldUntil());
    }

    @Test
    void anSmsWhoseDispatcherLeaseEndedCanBeCanceled() {
        String id = scheduled(null, LATER);
        lifecycle.claimDue("node-a", 100, T0, T0.plusSeconds(30));

        assertTrue(cancel(accountId, id).canceled());
    }

    @Test
    void aSentSmsIsNotCanceled() {
        String id = scheduled(null, LATER);
        lifecycle.record(new Transition.Sent(id, "simulator", List.of("part-" + id), NOW)).join();

        Cancellation refused = cancel(accountId, id);

        assertEquals(List.of(false, Status.SENT), List.of(refused.canceled(), refused.sms().orElseThrow().status()));
    }

    @Test
    void aCanceledSmsIsNotCanceledTwice() {
        String id = scheduled(LATER, LATER.plusSeconds(600));
        cancel(accountId, id);

        assertFalse(cancel(accountId, id).canceled());
    }

    @Test
    void anotherAccountsSmsIsNotFoundAndStaysPending() {
        String id = scheduled(LATER, LATER.plusSeconds(600));
        var keys = new JdbiKeyStore(database.jdbi());
        keys.saveKey("other", "key-2", "b".repeat(64), null, null, T0);
        long other = keys.findKey("key-2").orElseThrow().account().id();

        assertEquals(List.of(false, Status.PENDING),
                List.of(cancel(other, id).sms().isPresent(), find(id).status()));
    }

    @Test
    void cancelsRacingClaimsNeverCancelAnSmsThatWasClaimed() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            ids.add(scheduled(null, LATER));
        }
        List<String> shuffled = new ArrayList<>(ids);
        Collections.shuffle(shuffled);
        Set<String> claimed = ConcurrentHashMap.newKeySet();
        Set<String> canceled = ConcurrentHashMap.newKeySet();
        var start = new CountDownLatch(1);
        var claiming = CompletableFuture.runAsync(() -> {
            await(start);
            List<Claimed> got;
            do {
                got = lifecycle.claimDue("node-a", 7, NOW, LATER);
                got.forEach(one -> claimed.add(one.smsId()));
            } while (!got.isEmpty());
        });
        List<CompletableFuture<Void>> cancels = new ArrayList<>();
        for (int half = 0; half < 2; half++) {
            List<String> mine = shuffled.subList(half * 150, half * 150 + 150);
            cancels.add(CompletableFuture.runAsync(() -> {
                await(start);
                for (String id : mine) {
                    if (cancel(accountId, id).canceled()) {
                        canceled.add(id);
                    }
                }
            }));
        }
        start.countDown();
        claiming.join();
        cancels.forEach(CompletableFuture::join);

        Set<String> both = new HashSet<>(claimed);
        both.retainAll(canceled);
        assertEquals(Set.of(), both, claimed.size() + " claimed, " + canceled.size() + " canceled");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * What the claim reads with many SMS scheduled later and a few due: only the due ones, through
     * the (status, next_attempt_at) index, so that a million scheduled SMS cost a claim nothing.
     */
    @Test
    void aClaimReadsOnlyTheDueSmsHoweverManyAreScheduledLater() throws Exception {
        List<CompletableFuture<Void>> inserted = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            inserted.add(insert(String.format("later-sms-%08d", i), LATER.plusSeconds(i), LATER.plus(Duration.ofDays(2))));
        }
        inserted.forEach(CompletableFuture::join);
        for (int i = 0; i < 3; i++) {
            scheduled(null, LATER);
        }

        assertEquals(3, rowsTheClaimReads());
    }

    /** The rows of {@code sms} the claim's query reads at NOW, from the database's own plan. */
    private long rowsTheClaimReads() throws Exception {
        String query = "SELECT id FROM sms WHERE " + JdbiLifecycleStore.CLAIMABLE + " "
                + JdbiLifecycleStore.CLAIM_ORDER + " LIMIT 500";
        return database.jdbi().withHandle(handle -> {
            if (Database.isPostgres(handle)) {
                handle.execute("ANALYZE sms");
                String plan = handle.createQuery("EXPLAIN (ANALYZE, FORMAT JSON) " + query)
                        .bind("now", Rows.utc(NOW)).mapTo(String.class).one();
                return rowsRead(new ObjectMapper().readTree(plan).get(0).get("Plan"));
            }
            String plan = handle.createQuery("EXPLAIN ANALYZE " + query)
                    .bind("now", Rows.utc(NOW)).mapTo(String.class).one();
            assertTrue(plan.contains("SMS_STATUS_NEXT_ATTEMPT"), plan);
            Matcher scanned = Pattern.compile("scanCount: (\\d+)").matcher(plan);
            assertTrue(scanned.find(), plan);
            // H2 counts the row that ends the range too.
            return Long.parseLong(scanned.group(1)) - 1;
        });
    }

    /** On PostgreSQL: the rows the scans of {@code sms} returned or filtered out. */
    private static long rowsRead(JsonNode node) {
        long read = 0;
        if ("sms".equals(node.path("Relation Name").asText())) {
            assertNotEquals("Seq Scan", node.path("Node Type").asText(), node::toString);
            read += node.path("Actual Rows").asLong() + node.path("Rows Removed by Filter").asLong();
        }
        for (JsonNode child : node.path("Plans")) {
            read += rowsRead(child);
        }
        return read;
    }
}
