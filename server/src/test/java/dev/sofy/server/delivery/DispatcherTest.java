package dev.sofy.server.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sofy.server.config.Config;
import dev.sofy.server.delivery.CarrierEvent.DeliveryReceipt;
import dev.sofy.server.delivery.CarrierEvent.InboundMessage;
import dev.sofy.server.delivery.CarrierEvent.Outcome;
import dev.sofy.server.marketing.MarketingRules;
import dev.sofy.server.marketing.OptOut;
import dev.sofy.server.sms.Message;
import dev.sofy.server.sms.Status;
import dev.sofy.server.storage.CommitQueue;
import dev.sofy.server.storage.Database;
import dev.sofy.server.storage.JdbiKeyStore;
import dev.sofy.server.storage.JdbiLifecycleStore;
import dev.sofy.server.storage.JdbiOptOutStore;
import dev.sofy.server.storage.JdbiSmsStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher over a real lifecycle store (H2 in memory) and a carrier that answers as each
 * test says: what it claims, what it submits, and what it records of the carrier's answers.
 */
class DispatcherTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Dispatcher.Settings SETTINGS = new Dispatcher.Settings("node-a", 10, 100,
            Duration.ofMinutes(5), Duration.ofMillis(20), Duration.ofMillis(10), Duration.ofMillis(50));
    /** A Sunday at noon in Paris: the French sending window of marketing SMS is closed. */
    private static final Instant SUNDAY_NOON = Instant.parse("2026-11-29T11:00:00Z");

    /** Submits as it is told, by default accepting with one part whose carrier id is "carrier-" and the SMS id. */
    private static final class TestCarrier implements CarrierConnector {
        final List<OutboundSms> submitted = new CopyOnWriteArrayList<>();
        final Queue<Function<OutboundSms, CompletableFuture<SubmitResult>>> answers = new ConcurrentLinkedQueue<>();
        volatile Consumer<CarrierEvent> events;

        @Override
        public void start(Consumer<CarrierEvent> events) {
            this.events = events;
        }

        @Override
        public CompletableFuture<SubmitResult> submit(OutboundSms sms) {
            submitted.add(sms);
            Function<OutboundSms, CompletableFuture<SubmitResult>> answer = answers.poll();
            return answer != null ? answer.apply(sms)
                    : CompletableFuture.completedFuture(new SubmitResult(List.of("carrier-" + sms.smsId())));
        }

        @Override
        public void close() {}

        @Override
        public String name() {
            return "test";
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public CompletableFuture<QueryAnswer> query(String carrierMessageId, String from) {
            return CompletableFuture.failedFuture(new QueryUnsupportedException("the test carrier answers no queries"));
        }
    }

    private final TestCarrier carrier = new TestCarrier();
    private final LinkedBlockingQueue<InboundMessage> inbound = new LinkedBlockingQueue<>();
    private final Database database = Database.open(Config.from(Map.of(
            "SOFY_DB_URL", "jdbc:h2:mem:dispatcher-" + UUID.randomUUID())));
    private final CommitQueue writes = new CommitQueue(database.jdbi(), Clock.systemUTC());
    private final JdbiSmsStore sms = new JdbiSmsStore(database.jdbi(), writes);
    private final long accountId = account();
    private Clock clock = Clock.systemUTC();
    private Dispatcher dispatcher;
    private int created;

    private long account() {
        var keys = new JdbiKeyStore(database.jdbi());
        keys.saveKey("acme", "key-1", "a".repeat(64), null, null, Instant.now());
        return keys.findKey("key-1").orElseThrow().account().id();
    }

    private void startDispatching() {
        dispatcher = new Dispatcher(new JdbiLifecycleStore(database.jdbi(), writes), carrier, MarketingRules.defaults(),
                inbound::add, clock, SETTINGS);
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

    /** A pending SMS to a French mobile, created a second ago, due at once unless held; returns its id. */
    private String pending(boolean transactional, Instant heldUntil) {
        String id = String.format("dispatcher-sms-%06d", ++created);
        Instant at = clock.instant().minusSeconds(1).truncatedTo(ChronoUnit.MICROS);
        sms.insert(new Message(id, accountId, "APITEST", "33612345678", "Hello", false, transactional, Status.PENDING,
                "", at, at, 1, "GSM-7", at.plus(Duration.ofDays(1)), null, heldUntil), List.of(), null).join();
        return id;
    }

    private String pending() {
        return pending(true, null);
    }

    private Message find(String id) {
        return sms.find(accountId, id).orElseThrow();
    }

    /** The SMS once it has the status, or as it is when the wait ends. */
    private Message awaitStatus(String id, Status status) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Message found = find(id);
        while (found.status() != status && System.nanoTime() < deadline) {
            Thread.sleep(10);
            found = find(id);
        }
        return found;
    }

    @Test
    void aDueSmsIsSubmittedWithItsTextAndRecordedAsSent() throws InterruptedException {
        String id = pending();

        startDispatching();

        Message sent = awaitStatus(id, Status.SENT);
        assertEquals(Status.SENT, sent.status());
        assertEquals(List.of(new OutboundSms(id, "APITEST", "33612345678", "Hello", sent.expiresAt())), carrier.submitted);
    }

    @Test
    void anSmsHeldUntilLaterIsNotClaimedBeforeThen() throws InterruptedException {
        String held = pending(true, Instant.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MICROS));
        String due = pending();

        startDispatching();

        assertEquals(Status.SENT, awaitStatus(due, Status.SENT).status());
        Thread.sleep(200);
        assertEquals(Status.PENDING, find(held).status());
        assertEquals(List.of(due), carrier.submitted.stream().map(OutboundSms::smsId).toList());
    }

    @Test
    void anSmsTheCarrierRejectsIsErroredWithTheCarriersReason() throws InterruptedException {
        carrier.answers.add(sms -> CompletableFuture.failedFuture(
                new SubmitRejectedException("smsc-rejected:0x0000000B", "invalid destination address")));
        String id = pending();

        startDispatching();

        Message errored = awaitStatus(id, Status.ERRORED);
        assertEquals(Status.ERRORED, errored.status());
        assertEquals("rejected by the carrier: smsc-rejected:0x0000000B", errored.statusReason());
        assertEquals(1, carrier.submitted.size());
    }

    @Test
    void anSmsTheCarrierCannotTakeNowIsSubmittedAgainLater() throws InterruptedException {
        carrier.answers.add(sms -> CompletableFuture.failedFuture(
                new CarrierUnavailableException("the link is down", null)));
        String id = pending();

        startDispatching();

        assertEquals(Status.SENT, awaitStatus(id, Status.SENT).status());
        assertEquals(List.of(id, id), carrier.submitted.stream().map(OutboundSms::smsId).toList());
    }

    @Test
    void aSubmitThatFailsUnexpectedlyIsAlsoTriedAgainLater() throws InterruptedException {
        carrier.answers.add(sms -> {
            throw new IllegalStateException("a bug in the connector");
        });
        String id = pending();

        startDispatching();

        assertEquals(Status.SENT, awaitStatus(id, Status.SENT).status());
        assertEquals(2, carrier.submitted.size());
    }

    @Test
    void aDeliveryReceiptMakesTheSentSmsDeliveredOnceItIsCommitted() throws InterruptedException {
        String id = pending();
        startDispatching();
        awaitStatus(id, Status.SENT);

        carrier.events.accept(new DeliveryReceipt("test", "carrier-" + id, Outcome.DELIVERED, null, Instant.now()));

        assertEquals(Status.DELIVERED, find(id).status());
    }

    @Test
    void aReplyFromAHandsetGoesToTheInboundHandler() throws InterruptedException {
        startDispatching();
        var reply = new InboundMessage("33612345678", "APITEST", "STOP", Instant.now());

        carrier.events.accept(reply);

        assertEquals(reply, inbound.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS));
    }

    @Test
    void aMarketingSmsToARecipientWhoOptedOutIsErroredWithoutReachingTheCarrier() throws InterruptedException {
        new JdbiOptOutStore(database.jdbi()).add(accountId, "33612345678", OptOut.Source.API, Instant.now());
        String id = pending(false, null);

        startDispatching();

        Message errored = awaitStatus(id, Status.ERRORED);
        assertEquals(Status.ERRORED, errored.status());
        assertEquals(Dispatcher.OPTED_OUT, errored.statusReason());
        assertEquals(List.of(), carrier.submitted);
    }

    @Test
    void aMarketingSmsWhoseSendingWindowClosedIsHeldUntilItOpens() throws InterruptedException {
        clock = Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), SUNDAY_NOON));
        String id = pending(false, null);
        Instant opens = MarketingRules.defaults().apply("33612345678", false, "Hello", SUNDAY_NOON).heldUntil()
                .orElseThrow();

        startDispatching();

        long deadline = System.nanoTime() + WAIT.toNanos();
        while (find(id).heldUntil() == null && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(opens, find(id).heldUntil());
        assertEquals(Status.PENDING, find(id).status());
        assertTrue(carrier.submitted.isEmpty());
    }
}
