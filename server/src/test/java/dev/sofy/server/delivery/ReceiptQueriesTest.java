package dev.sofy.server.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sofy.server.config.Config;
import dev.sofy.server.sms.Message;
import dev.sofy.server.sms.Status;
import dev.sofy.server.storage.CommitQueue;
import dev.sofy.server.storage.Database;
import dev.sofy.server.storage.JdbiKeyStore;
import dev.sofy.server.storage.JdbiLifecycleStore;
import dev.sofy.server.storage.JdbiSmsStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Asking carriers about SMS whose receipt has not come, over a real lifecycle store (H2 in
 * memory), with the clock moved forward by each test.
 */
class ReceiptQueriesTest {
    private static final Instant SENT_AT = Instant.parse("2026-12-01T10:00:00Z");
    private static final Duration AFTER = Duration.ofMinutes(10);

    private final ScriptedCarrier carrier = new ScriptedCarrier("mainland");
    private final Database database = Database.open(Config.from(Map.of(
            "SOFY_DB_URL", "jdbc:h2:mem:queries-" + UUID.randomUUID())));
    private final CommitQueue writes = new CommitQueue(database.jdbi(), Clock.systemUTC());
    private final JdbiSmsStore sms = new JdbiSmsStore(database.jdbi(), writes);
    private final JdbiLifecycleStore lifecycle = new JdbiLifecycleStore(database.jdbi(), writes);
    private final long accountId = account();

    private long account() {
        var keys = new JdbiKeyStore(database.jdbi());
        keys.saveKey("acme", "key-1", "a".repeat(64), null, null, Instant.now());
        return keys.findKey("key-1").orElseThrow().account().id();
    }

    @AfterEach
    void stop() {
        writes.close();
        database.close();
    }

    /** An SMS the carrier took at SENT_AT, with no receipt since. */
    private String sent() {
        String id = "query-sms-" + UUID.randomUUID().toString().substring(0, 11);
        Instant at = SENT_AT.minusSeconds(1);
        sms.insert(new Message(id, accountId, "APITEST", "33612345678", "Hello", false, true, Status.PENDING,
                "", at, at, 1, "GSM-7", SENT_AT.plus(Duration.ofDays(2)), null, null), List.of(), null).join();
        lifecycle.record(new Transition.Sent(id, "mainland", List.of(carrier.idOf(id)), SENT_AT)).join();
        return id;
    }

    private ReceiptQueries queriesAt(Instant now) {
        return new ReceiptQueries(lifecycle, List.of(carrier), AFTER, Clock.fixed(now, ZoneOffset.UTC));
    }

    private Status status(String id) {
        return sms.find(accountId, id).orElseThrow().status();
    }

    private static QueryAnswer answer(String carrierMessageId, Optional<CarrierEvent.Outcome> outcome) {
        return new QueryAnswer(carrierMessageId, outcome, null, SENT_AT.plusSeconds(5));
    }

    @Test
    void aDeliveredAnswerMakesTheSmsDelivered() {
        carrier.queryAnswer = id -> CompletableFuture.completedFuture(
                answer(id, Optional.of(CarrierEvent.Outcome.DELIVERED)));
        String id = sent();

        queriesAt(SENT_AT.plus(AFTER).plusSeconds(1)).askDue();

        assertEquals(Status.DELIVERED, status(id));
    }

    @Test
    void anSmsIsNotAskedAboutBeforeItHasWaitedLongEnough() {
        carrier.queryAnswer = id -> CompletableFuture.completedFuture(
                answer(id, Optional.of(CarrierEvent.Outcome.DELIVERED)));
        sent();

        queriesAt(SENT_AT.plus(AFTER).minusSeconds(1)).askDue();

        assertEquals(0, carrier.queries.get());
    }

    @Test
    void anEnRouteAnswerLeavesTheSmsSent() {
        carrier.queryAnswer = id -> CompletableFuture.completedFuture(answer(id, Optional.empty()));
        String id = sent();

        queriesAt(SENT_AT.plus(AFTER).plusSeconds(1)).askDue();

        assertEquals(Status.SENT, status(id));
    }

    @Test
    void anSmsEnRouteIsAskedAgainOnlyOnceItWaitedAgain() {
        carrier.queryAnswer = id -> CompletableFuture.completedFuture(answer(id, Optional.empty()));
        sent();
        Instant firstAsked = SENT_AT.plus(AFTER).plusSeconds(1);
        queriesAt(firstAsked).askDue();

        queriesAt(firstAsked.plusSeconds(1)).askDue();
        int askedSoonAfter = carrier.queries.get();
        queriesAt(firstAsked.plus(AFTER)).askDue();

        assertEquals(List.of(1, 2), List.of(askedSoonAfter, carrier.queries.get()));
    }

    @Test
    void anUndeliveredAnswerMakesTheSmsUndeliveredWithTheCarriersError() {
        carrier.queryAnswer = id -> CompletableFuture.completedFuture(new QueryAnswer(id,
                Optional.of(CarrierEvent.Outcome.UNDELIVERED), "27", SENT_AT.plusSeconds(5)));
        String id = sent();

        queriesAt(SENT_AT.plus(AFTER).plusSeconds(1)).askDue();

        Message found = sms.find(accountId, id).orElseThrow();
        assertEquals(List.of(Status.UNDELIVERED, "undelivered: error 27"), List.of(found.status(), found.statusReason()));
    }

    @Test
    void aCarrierThatDoesNotAnswerQueriesIsAskedOnceOnly() {
        sent();
        sent();
        ReceiptQueries queries = queriesAt(SENT_AT.plus(AFTER).plus(AFTER).plusSeconds(1));

        queries.askDue();
        queries.askDue();

        assertEquals(1, carrier.queries.get());
    }

    @Test
    void aCarrierThatIsNotReadyIsNotAsked() {
        carrier.ready = false;
        sent();

        queriesAt(SENT_AT.plus(AFTER).plusSeconds(1)).askDue();

        assertEquals(0, carrier.queries.get());
    }
}
