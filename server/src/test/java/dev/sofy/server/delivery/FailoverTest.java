package dev.sofy.server.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sofy.server.config.Config;
import dev.sofy.server.marketing.MarketingRules;
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
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher with several carriers, over a real lifecycle store (H2 in memory): the first
 * ready carrier of the route takes an SMS, the next one when it cannot.
 */
class FailoverTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Dispatcher.Settings SETTINGS = new Dispatcher.Settings("node-a", 10, 100,
            Duration.ofMinutes(5), Duration.ofMillis(20), Duration.ofMillis(10), Duration.ofMillis(50));

    private final ScriptedCarrier first = new ScriptedCarrier("first");
    private final ScriptedCarrier second = new ScriptedCarrier("second");
    private final ScriptedCarrier other = new ScriptedCarrier("other");
    private final Database database = Database.open(Config.from(Map.of(
            "SOFY_DB_URL", "jdbc:h2:mem:failover-" + UUID.randomUUID())));
    private final CommitQueue writes = new CommitQueue(database.jdbi(), Clock.systemUTC());
    private final JdbiSmsStore sms = new JdbiSmsStore(database.jdbi(), writes);
    private final long accountId = account();
    private Dispatcher dispatcher;
    private int created;

    private long account() {
        var keys = new JdbiKeyStore(database.jdbi());
        keys.saveKey("acme", "key-1", "a".repeat(64), null, null, Instant.now());
        return keys.findKey("key-1").orElseThrow().account().id();
    }

    /** Routes SMS of account acme to first then second; every other SMS to other. */
    private void startDispatching() {
        CarrierRouting routing = claimed -> claimed.accountName().equals("acme")
                ? List.of("first", "second") : List.of("other");
        dispatcher = new Dispatcher(new JdbiLifecycleStore(database.jdbi(), writes), List.of(first, second, other),
                routing, MarketingRules.defaults(), message -> { }, Clock.systemUTC(), SETTINGS);
        dispatcher.start();
    }

    @AfterEach
    void stop() {
        if (dispatcher != null) {
            dispatcher.close();
        }
        writes.close();
        database.close();
    }

    private String pending() {
        String id = String.format("failover-sms-%08d", ++created);
        Instant at = Instant.now().minusSeconds(1).truncatedTo(ChronoUnit.MICROS);
        sms.insert(new Message(id, accountId, "APITEST", "33612345678", "Hello", false, true, Status.PENDING,
                "", at, at, 1, "GSM-7", at.plus(Duration.ofDays(1)), null, null), List.of(), null).join();
        return id;
    }

    private Message awaitStatus(String id, Status status) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Message found = sms.find(accountId, id).orElseThrow();
        while (found.status() != status && System.nanoTime() < deadline) {
            Thread.sleep(10);
            found = sms.find(accountId, id).orElseThrow();
        }
        return found;
    }

    private static List<String> ids(ScriptedCarrier carrier) {
        return carrier.submitted.stream().map(OutboundSms::smsId).toList();
    }

    /** Each waits a while for its first bind; one after the other, they would take three times as long. */
    @Test
    void theCarriersAreStartedAllAtOnce() {
        for (ScriptedCarrier carrier : List.of(first, second, other)) {
            carrier.startTakes = Duration.ofSeconds(2);
        }

        long started = System.nanoTime();
        startDispatching();
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertTrue(took.compareTo(Duration.ofSeconds(4)) < 0, "started in " + took);
    }

    @Test
    void theFirstCarrierOfTheRouteTakesTheSmsAndTheSmsNamesIt() throws InterruptedException {
        String id = pending();

        startDispatching();

        assertEquals("first", awaitStatus(id, Status.SENT).carrier());
        assertEquals(List.of(), ids(second));
    }

    @Test
    void aCarrierThatIsNotReadyIsPassedOver() throws InterruptedException {
        first.ready = false;
        String id = pending();

        startDispatching();

        assertEquals("second", awaitStatus(id, Status.SENT).carrier());
        assertEquals(List.of(), ids(first));
    }

    @Test
    void anSmsTheFirstCarrierCannotTakeGoesToTheNextAtOnce() throws InterruptedException {
        first.answers.add(ScriptedCarrier.unavailable());
        String id = pending();

        startDispatching();

        Message sent = awaitStatus(id, Status.SENT);
        assertEquals("second", sent.carrier());
        assertEquals(List.of(id), ids(first));
        assertEquals(List.of(id), ids(second));
    }

    @Test
    void failingOverDoesNotCountAsARetry() throws InterruptedException {
        first.answers.add(ScriptedCarrier.unavailable());
        String id = pending();

        startDispatching();
        awaitStatus(id, Status.SENT);

        int attempts = database.jdbi().withHandle(handle -> handle.createQuery("SELECT attempts FROM sms WHERE id = :id")
                .bind("id", id).mapTo(Integer.class).one());
        assertEquals(1, attempts);
    }

    @Test
    void anSmsTheFirstCarrierRefusesForGoodIsErroredWithoutTryingTheNext() throws InterruptedException {
        first.answers.add(sms -> CompletableFuture.failedFuture(
                new SubmitRejectedException("smsc-rejected:0x0000000B", "invalid destination address")));
        String id = pending();

        startDispatching();

        assertEquals(Status.ERRORED, awaitStatus(id, Status.ERRORED).status());
        assertEquals(List.of(), ids(second));
    }

    @Test
    void anSmsNoCarrierOfItsRouteCanTakeWaitsAndIsTriedAgain() throws InterruptedException {
        first.answers.add(ScriptedCarrier.unavailable());
        second.answers.add(ScriptedCarrier.unavailable());
        String id = pending();

        startDispatching();

        assertEquals("first", awaitStatus(id, Status.SENT).carrier());
        assertEquals(List.of(id, id), ids(first));
        assertEquals(List.of(id), ids(second));
    }

    @Test
    void aCarrierOutsideTheRouteIsNeverUsedEvenWhenTheRouteIsDown() throws InterruptedException {
        first.ready = false;
        second.ready = false;
        String id = pending();

        startDispatching();
        Thread.sleep(300);

        assertEquals(Status.PENDING, sms.find(accountId, id).orElseThrow().status());
        assertEquals(List.of(), ids(other));
    }

    @Test
    void theSecondCarriersReceiptIsAppliedToTheSmsItTook() throws InterruptedException {
        first.answers.add(ScriptedCarrier.unavailable());
        String id = pending();
        startDispatching();
        awaitStatus(id, Status.SENT);

        second.events.accept(new CarrierEvent.DeliveryReceipt("second", second.idOf(id), CarrierEvent.Outcome.DELIVERED,
                null, Instant.now()));

        assertEquals(Status.DELIVERED, awaitStatus(id, Status.DELIVERED).status());
    }

    @Test
    void aReceiptWithTheSameIdFromAnotherCarrierIsNotApplied() throws InterruptedException {
        String id = pending();
        startDispatching();
        awaitStatus(id, Status.SENT);

        second.events.accept(new CarrierEvent.DeliveryReceipt("second", first.idOf(id), CarrierEvent.Outcome.DELIVERED,
                null, Instant.now()));

        assertEquals(Status.SENT, sms.find(accountId, id).orElseThrow().status());
    }
}
