package dev.sofy.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sofy.server.delivery.CarrierEvent;
import dev.sofy.server.delivery.Transition;
import dev.sofy.server.inbound.InboundStore;
import dev.sofy.server.links.ShortLink;
import dev.sofy.server.retention.Retention;
import dev.sofy.server.sms.IdempotencyKey;
import dev.sofy.server.sms.Message;
import dev.sofy.server.sms.Status;
import dev.sofy.server.webhooks.Delivery;
import dev.sofy.server.webhooks.Endpoint;
import dev.sofy.server.webhooks.EventType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What retention deletes, on any database: the SMS whose final status is older than the
 * retention, with every row about them, and the inbound SMS received before then; never a
 * pending SMS. The clock is the test's: "now" is {@link #KEPT} after some SMS last changed.
 */
abstract class RetentionContract extends StoreContract {
    static final Duration KEPT = Duration.ofDays(90);
    private static final String ENDPOINT = "endpoint-0000retained";
    private final AtomicInteger inboundIds = new AtomicInteger();
    JdbiRetentionStore store;

    @BeforeEach
    final void retentionStore() {
        store = new JdbiRetentionStore(database.jdbi());
    }

    /** A retention run at {@code now}, a batch of {@code batch} SMS a transaction, no pause. */
    private Retention.Deleted runAt(Instant now, int batch) throws InterruptedException {
        return new Retention(store, webhooks, Clock.fixed(now, ZoneOffset.UTC), KEPT,
                new Retention.Settings(batch, Duration.ZERO), () -> false).runOnce();
    }

    /**
     * An SMS sent, then delivered (a final status) at {@link #NOW}, when the writer commits the
     * receipt; with a link, a click and an idempotency key.
     */
    private String finalSms() {
        String id = String.format("retained-sms-%08d", inboundIds.incrementAndGet());
        String code = String.format("Code%06d", inboundIds.get());
        sms.insert(new Message(id, accountId, "APITEST", "33612345678", "Hello https://example.com", true, true,
                        Status.PENDING, "", T0, T0, 1, "GSM-7", T0.plus(Duration.ofDays(1)), null, null),
                List.of(new ShortLink(code, "https://example.com")),
                new IdempotencyKey("key-" + id, "b".repeat(64), id, T0)).join();
        lifecycle.record(new Transition.Sent(id, "mainland", List.of("carrier-" + id), T0.plusSeconds(1))).join();
        links.click(code, T0.plusSeconds(2)).join();
        lifecycle.record(new Transition.Receipt(new CarrierEvent.DeliveryReceipt("mainland", "carrier-" + id,
                CarrierEvent.Outcome.DELIVERED, null, T0.plusSeconds(3)))).join();
        return id;
    }

    /**
     * A later status change and click, and the webhook sender past them: what came before is
     * recorded as events, which retention waits for. Returns the later SMS.
     */
    private String laterTrafficRecorded() {
        String later = pendingSms(List.of(new ShortLink("LaterCode1", "https://example.com/later")));
        lifecycle.record(new Transition.Sent(later, "mainland", List.of("carrier-" + later),
                T0.plus(Duration.ofDays(200)))).join();
        links.click("LaterCode1", T0.plus(Duration.ofDays(200))).join();
        webhooks.recordEvents(1_000);
        return later;
    }

    /** The rows about an SMS, by table. */
    private Map<String, Long> rowsOf(String smsId) {
        return database.jdbi().withHandle(handle -> {
            Map<String, Long> rows = new LinkedHashMap<>();
            for (String table : List.of("sms_part", "sms_status_change", "sms_link", "idempotency_key")) {
                rows.put(table, handle.createQuery("SELECT COUNT(*) FROM " + table + " WHERE sms_id = :id")
                        .bind("id", smsId).mapTo(Long.class).one());
            }
            rows.put("sms", handle.createQuery("SELECT COUNT(*) FROM sms WHERE id = :id")
                    .bind("id", smsId).mapTo(Long.class).one());
            rows.put("sms_click", handle.createQuery(
                            "SELECT COUNT(*) FROM sms_click WHERE code IN (SELECT code FROM sms_link WHERE sms_id = :id)"
                                    + " OR code = :code")
                    .bind("id", smsId).bind("code", "Code" + smsId.substring(smsId.length() - 6))
                    .mapTo(Long.class).one());
            return rows;
        });
    }

    private boolean exists(String smsId) {
        return sms.find(accountId, smsId).isPresent();
    }

    private static Map<String, Long> none() {
        Map<String, Long> rows = new LinkedHashMap<>();
        for (String table : List.of("sms_part", "sms_status_change", "sms_link", "idempotency_key", "sms", "sms_click")) {
            rows.put(table, 0L);
        }
        return rows;
    }

    @Test
    void aFinalSmsPastRetentionIsDeletedWithItsPartsStatusChangesLinksClicksAndKeys() throws Exception {
        Instant at = NOW;
        String old = finalSms();
        laterTrafficRecorded();

        runAt(at.plus(KEPT).plusMillis(1), 500);

        assertEquals(none(), rowsOf(old));
    }

    @Test
    void aFinalSmsLastChangedExactlyTheRetentionAgoIsKept() throws Exception {
        Instant at = NOW;
        String kept = finalSms();
        laterTrafficRecorded();

        runAt(at.plus(KEPT), 500);

        assertTrue(exists(kept));
    }

    @Test
    void aPendingSmsIsKeptHoweverOld() throws Exception {
        String pending = pendingSms();
        laterTrafficRecorded();

        runAt(T0.plus(Duration.ofDays(3650)), 500);

        assertTrue(exists(pending));
    }

    @Test
    void aScheduledSmsIsKeptHoweverOld() throws Exception {
        String scheduled = "scheduled-sms-0000001";
        sms.insert(new Message(scheduled, accountId, "APITEST", "33612345678", "Later", true, true,
                Status.PENDING, "", T0, T0, 1, "GSM-7", T0.plus(Duration.ofDays(400)), null, null)
                .withSendAt(T0.plus(Duration.ofDays(365))), List.of(), null).join();
        laterTrafficRecorded();

        runAt(T0.plus(Duration.ofDays(3650)), 500);

        assertTrue(exists(scheduled));
    }

    @Test
    void aSentSmsAwaitingItsReceiptIsKeptHoweverOld() throws Exception {
        String sent = sent(T0.plusSeconds(10));
        laterTrafficRecorded();

        runAt(T0.plus(Duration.ofDays(3650)), 500);

        assertTrue(exists(sent));
    }

    @Test
    void aTransactionDeletesAtMostItsBatch() {
        Instant at = NOW;
        for (int i = 0; i < 3; i++) {
            finalSms();
        }
        laterTrafficRecorded();

        int deleted = store.deleteFinalSmsBefore(at.plusMillis(1), 2);

        assertEquals(2, deleted);
    }

    @Test
    void aRunDeletesBatchAfterBatchUntilNothingIsLeft() throws Exception {
        Instant at = NOW;
        for (int i = 0; i < 5; i++) {
            finalSms();
        }
        laterTrafficRecorded();

        Retention.Deleted deleted = runAt(at.plus(KEPT).plusSeconds(1), 2);

        assertEquals(5, deleted.sms());
    }

    @Test
    void anSmsWhoseStatusChangesAreNotYetRecordedAsEventsWaitsForTheWebhookSender() throws Exception {
        Instant at = NOW;
        String unrecorded = finalSms();
        sent(T0.plus(Duration.ofDays(200)));

        runAt(at.plus(KEPT).plusSeconds(1), 500);

        assertTrue(exists(unrecorded));
    }

    @Test
    void anEventStillOwedForAnSmsDeletedPastRetentionIsGivenUp() throws Exception {
        webhooks.insert(new Endpoint(ENDPOINT, accountId, "https://example.com/events", Set.of(EventType.SMS_STATUS),
                "whsec_cmV0YWluZWQ=", T0, null, null));
        Instant at = NOW;
        finalSms();
        String later = laterTrafficRecorded();
        runAt(at.plus(KEPT).plusSeconds(1), 500);

        List<Delivery> claimed = webhooks.claimDue("node", 1_000, T0.plus(Duration.ofDays(300)),
                T0.plus(Duration.ofDays(300)).plusSeconds(60));

        // Only the later SMS's events can still be told; the deleted SMS's are given up.
        assertEquals(List.of(later), claimed.stream().map(delivery -> delivery.sms().id()).distinct().toList());
    }

    @Test
    void anInboundSmsPastRetentionIsDeletedAndAYoungerOneKept() throws Exception {
        pendingSms();
        var inbound = new JdbiInboundStore(database.jdbi());
        Instant old = T0.plusSeconds(10);
        Instant young = T0.plus(Duration.ofDays(10));
        for (Instant at : List.of(old, young)) {
            inbound.receive(new InboundStore.Received("33612345678", "APITEST", "Hi " + at, at), T0.minusSeconds(1),
                    at, () -> String.format("inbound-sms-%09d", inboundIds.incrementAndGet()));
        }

        runAt(old.plus(KEPT).plusSeconds(1), 500);

        List<Instant> left = database.jdbi().withHandle(handle -> handle.createQuery(
                "SELECT received_at FROM inbound_sms").map((row, context) -> Rows.instant(row, "received_at")).list());
        assertEquals(List.of(young), left);
    }
}
