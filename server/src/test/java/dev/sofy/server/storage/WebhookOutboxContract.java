package dev.sofy.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sofy.server.delivery.Transition;
import dev.sofy.server.sms.Message;
import dev.sofy.server.sms.Status;
import dev.sofy.server.webhooks.Delivery;
import dev.sofy.server.webhooks.Endpoint;
import dev.sofy.server.webhooks.EventType;
import dev.sofy.server.webhooks.UrlGuard;
import dev.sofy.server.webhooks.WebhookService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What {@link JdbiWebhookStore}'s outbox promises the webhook sender, on any database. */
abstract class WebhookOutboxContract extends StoreContract {
    private static final Duration LEASE = Duration.ofMinutes(2);

    @BeforeEach
    final void subscribeAnEndpoint() {
        webhooks.insert(new Endpoint("endpoint-000000000001", accountId, "https://example.com/events",
                Set.of(EventType.SMS_STATUS), "whsec_c2VjcmV0", T0, null, null));
    }

    /** An SMS that became sent at {@code at}, recorded: one status event in the outbox, due at {@code at}. */
    private long sentEvent(Instant at) {
        String id = sent(at);
        webhooks.recordEvents(1_000);
        return database.jdbi().withHandle(handle -> handle.createQuery("""
                        SELECT d.id FROM webhook_delivery d JOIN sms_status_change c ON c.id = d.status_change_id
                        WHERE c.sms_id = :id""")
                .bind("id", id).mapTo(Long.class).one());
    }

    private List<Long> claim(String node, int max, Instant now) {
        return webhooks.claimDue(node, max, now, now.plus(LEASE)).stream().map(Delivery::id).toList();
    }

    /** Events owed to an endpoint, written straight into the outbox. */
    private void owedEvents(String endpointId, int count) {
        database.jdbi().useHandle(handle -> {
            var batch = handle.prepareBatch("""
                    INSERT INTO webhook_delivery (endpoint_id, event_type, occurred_at, next_attempt_at)
                    VALUES (:endpointId, 'sms.status', :at, :at)""");
            for (int i = 0; i < count; i++) {
                batch.bind("endpointId", endpointId).bind("at", Rows.utc(T0)).add();
            }
            batch.execute();
        });
    }

    /** Events finished at {@code at}, written straight into the outbox: {@code column} says how. */
    private void finishedEvents(String column, Instant at, int count) {
        database.jdbi().useHandle(handle -> {
            var batch = handle.prepareBatch("INSERT INTO webhook_delivery (endpoint_id, event_type, occurred_at, "
                    + "next_attempt_at, " + column + ") VALUES ('endpoint-000000000001', 'sms.status', :t0, :t0, :at)");
            for (int i = 0; i < count; i++) {
                batch.bind("t0", Rows.utc(T0)).bind("at", Rows.utc(at)).add();
            }
            batch.execute();
        });
    }

    private WebhookService serviceAt(Instant now) {
        return new WebhookService(webhooks, new UrlGuard(true), Clock.fixed(now, ZoneOffset.UTC));
    }

    private long owedTo(String endpointId) {
        return database.jdbi().withHandle(handle -> handle.createQuery(
                        "SELECT COUNT(*) FROM webhook_delivery WHERE endpoint_id = :id")
                .bind("id", endpointId).mapTo(Long.class).one());
    }

    @Test
    void aStatusChangeIsNoEventBeforeTheSenderRecordsIt() {
        sent(T0);
        assertEquals(0, events());

        webhooks.recordEvents(1_000);

        assertEquals(1, events());
    }

    @Test
    void eachStatusChangeIsRecordedOnceHoweverOftenRecordingRuns() {
        sent(T0);
        webhooks.recordEvents(1_000);
        sent(T0);

        webhooks.recordEvents(1_000);
        webhooks.recordEvents(1_000);

        assertEquals(2, events());
    }

    @Test
    void aRecordingGoesThroughNoMoreStatusChangesThanItsLimitAndTheNextOneGoesOn() {
        sent(T0);
        sent(T0.plusSeconds(1));
        sent(T0.plusSeconds(2));

        webhooks.recordEvents(2);
        assertEquals(2, events());
        webhooks.recordEvents(2);
        assertEquals(3, events());
    }

    @Test
    void anEndpointAddedAfterAStatusChangeGetsNoEventForIt() {
        sent(T0.plusSeconds(1));
        webhooks.insert(new Endpoint("endpoint-000000000002", accountId, "https://example.com/later",
                Set.of(EventType.SMS_STATUS), "whsec_bGF0ZXI=", T0.plusSeconds(2), null, null));
        sent(T0.plusSeconds(3));

        webhooks.recordEvents(1_000);

        assertEquals(1, owedTo("endpoint-000000000002"));
    }

    @Test
    void theEndpointOfAnotherAccountGetsNoEventOfThisOne() {
        var keys = new JdbiKeyStore(database.jdbi());
        keys.saveKey("globex", "key-2", "b".repeat(64), null, null, T0);
        long other = keys.findKey("key-2").orElseThrow().account().id();
        webhooks.insert(new Endpoint("endpoint-000000000002", other, "https://example.com/globex",
                Set.of(EventType.SMS_STATUS), "whsec_Z2xvYmV4", T0, null, null));
        sent(T0);

        webhooks.recordEvents(1_000);

        assertEquals(0, owedTo("endpoint-000000000002"));
    }

    @Test
    void withNoEndpointToTellARecordingGoesPastEveryStatusChangeAtOnce() {
        webhooks.delete(accountId, "endpoint-000000000001");
        sent(T0);
        sent(T0);
        sent(T0);

        assertEquals(3, webhooks.recordEvents(1));
    }

    @Test
    void aRemovedEndpointTakesEveryEventItIsOwedWithItEvenSeveralTransactionsWorth() {
        owedEvents("endpoint-000000000001", 2 * JdbiWebhookStore.DELETED_EVENTS_A_TRANSACTION + 1);

        assertTrue(webhooks.delete(accountId, "endpoint-000000000001"));

        assertEquals(0, owedTo("endpoint-000000000001"));
        assertTrue(webhooks.list(accountId).isEmpty());
    }

    @Test
    void oneTransactionDeletesNoMoreThanItsShareOfTheEventsOwed() {
        owedEvents("endpoint-000000000001", JdbiWebhookStore.DELETED_EVENTS_A_TRANSACTION + 7);

        webhooks.deleteOwedEvents("endpoint-000000000001", 0);

        assertEquals(7, owedTo("endpoint-000000000001"));
    }

    @Test
    void removingAnEndpointLeavesTheEventsOfTheOthers() {
        webhooks.insert(new Endpoint("endpoint-000000000002", accountId, "https://example.com/other",
                Set.of(EventType.SMS_STATUS), "whsec_b3RoZXI=", T0, null, null));
        owedEvents("endpoint-000000000001", 3);
        owedEvents("endpoint-000000000002", 2);

        webhooks.delete(accountId, "endpoint-000000000001");

        assertEquals(2, owedTo("endpoint-000000000002"));
    }

    @Test
    void anotherAccountCannotRemoveAnEndpointNorItsEvents() {
        owedEvents("endpoint-000000000001", 3);

        assertFalse(webhooks.delete(accountId + 1, "endpoint-000000000001"));

        assertEquals(3, owedTo("endpoint-000000000001"));
    }

    @Test
    void theOutboxBacklogReadinessShowsCountsTheEventsStillOwedAndNotTheFinishedOnes() {
        owedEvents("endpoint-000000000001", 3);
        finishedEvents("delivered_at", NOW, 2);
        finishedEvents("failed_at", NOW, 1);

        assertEquals(3, new JdbiDatabaseProbes(database.jdbi()).outboxBacklog(100));
    }

    @Test
    void theOutboxBacklogStopsCountingAtItsCap() {
        owedEvents("endpoint-000000000001", 5);

        assertEquals(4, new JdbiDatabaseProbes(database.jdbi()).outboxBacklog(4));
    }

    @Test
    void eventsDeliveredOrGivenUpBeforeTheCutoffAreForgotten() {
        finishedEvents("delivered_at", NOW, 2);
        finishedEvents("failed_at", NOW, 3);

        assertEquals(5, webhooks.forgetFinishedBefore(NOW.plusSeconds(1)));

        assertEquals(0, events());
    }

    @Test
    void eventsFinishedAtTheCutoffAreKept() {
        finishedEvents("delivered_at", NOW, 2);
        finishedEvents("failed_at", NOW, 3);

        webhooks.forgetFinishedBefore(NOW);

        assertEquals(5, events());
    }

    @Test
    void eventsStillOwedAreNeverForgotten() {
        owedEvents("endpoint-000000000001", 3);

        webhooks.forgetFinishedBefore(NOW.plus(Duration.ofDays(365)));

        assertEquals(3, events());
    }

    @Test
    void forgettingGoesOnUntilEveryFinishedEventIsGoneEvenSeveralTransactionsWorth() {
        finishedEvents("delivered_at", NOW, JdbiWebhookStore.DELETED_EVENTS_A_TRANSACTION + 1);
        finishedEvents("failed_at", NOW, JdbiWebhookStore.DELETED_EVENTS_A_TRANSACTION + 1);

        webhooks.forgetFinishedBefore(NOW.plusSeconds(1));

        assertEquals(0, events());
    }

    @Test
    void oneTransactionForgetsNoMoreThanItsShareOfTheFinishedEvents() {
        finishedEvents("delivered_at", NOW, JdbiWebhookStore.DELETED_EVENTS_A_TRANSACTION + 7);

        webhooks.deleteFinished(JdbiWebhookStore.FINISHED_BEFORE.get(0), NOW.plusSeconds(1));

        assertEquals(7, events());
    }

    @Test
    void theServiceKeepsAFinishedEventSevenDays() {
        finishedEvents("delivered_at", NOW, 1);

        serviceAt(NOW.plus(WebhookService.FINISHED_EVENTS_KEPT)).forgetFinishedEvents();

        assertEquals(1, events());
    }

    @Test
    void theServiceForgetsAnEventFinishedMoreThanSevenDaysAgo() {
        finishedEvents("failed_at", NOW, 1);

        serviceAt(NOW.plus(WebhookService.FINISHED_EVENTS_KEPT).plusSeconds(1)).forgetFinishedEvents();

        assertEquals(0, events());
    }

    @Test
    void dueEventsAreClaimedInTheOrderTheyBecameDue() {
        long later = sentEvent(T0.plusSeconds(2));
        long earlier = sentEvent(T0.plusSeconds(1));

        assertEquals(List.of(earlier, later), claim("node-a", 10, NOW));
    }

    @Test
    void aClaimTakesNoMoreThanItsLimit() {
        long first = sentEvent(T0.plusSeconds(1));
        sentEvent(T0.plusSeconds(2));

        assertEquals(List.of(first), claim("node-a", 1, NOW));
    }

    @Test
    void anEventClaimedByOneNodeIsNotClaimedByAnotherBeforeTheLeaseEnds() {
        long event = sentEvent(T0);
        claim("node-a", 10, NOW);

        assertEquals(List.of(), claim("node-b", 10, NOW.plus(LEASE).minusSeconds(1)));
        assertEquals(List.of(event), claim("node-b", 10, NOW.plus(LEASE)));
    }

    @Test
    void aRestartedNodeGetsItsClaimedEventsBackAtOnce() {
        long event = sentEvent(T0);
        claim("node-a", 10, NOW);

        assertEquals(1, webhooks.releaseClaims("node-a", NOW.plusSeconds(1)));
        assertEquals(List.of(event), claim("node-a", 10, NOW.plusSeconds(1)));
    }

    @Test
    void aFailedAttemptIsDueAgainAtItsNextAttempt() {
        long event = sentEvent(T0);
        claim("node-a", 10, NOW);

        webhooks.failed(event, 503, "answered 503", NOW.plusSeconds(30), NOW).join();

        assertEquals(List.of(), claim("node-a", 10, NOW.plusSeconds(29)));
        assertEquals(List.of(event), claim("node-a", 10, NOW.plusSeconds(30)));
    }

    @Test
    void aDeliveredEventIsNeverClaimedAgain() {
        long event = sentEvent(T0);
        claim("node-a", 10, NOW);

        webhooks.delivered(event, 204, NOW).join();

        assertEquals(List.of(), claim("node-a", 10, NOW.plus(Duration.ofDays(4))));
    }

    @Test
    void anEventGivenUpIsNeverClaimedAgain() {
        long event = sentEvent(T0);
        claim("node-a", 10, NOW);

        webhooks.failed(event, 500, "answered 500", null, NOW).join();

        assertEquals(List.of(), claim("node-a", 10, NOW.plus(Duration.ofDays(4))));
    }

    @Test
    void eventsNotYetDueDoNotKeepDueOnesFromBeingClaimed() {
        for (int i = 0; i < 20; i++) {
            long event = sentEvent(T0);
            claim("node-a", 1, NOW);
            webhooks.failed(event, 503, "answered 503", NOW.plus(Duration.ofHours(1)), NOW).join();
        }
        long due = sentEvent(T0.plusSeconds(1));

        assertEquals(List.of(due), claim("node-b", 5, NOW));
    }
}
