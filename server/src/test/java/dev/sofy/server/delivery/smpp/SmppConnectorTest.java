package dev.sofy.server.delivery.smpp;

import static dev.sofy.server.delivery.smpp.CollectedEvents.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sofy.server.delivery.CarrierEvent;
import dev.sofy.server.delivery.CarrierEvent.DeliveryReceipt;
import dev.sofy.server.delivery.CarrierEvent.InboundMessage;
import dev.sofy.server.delivery.CarrierEvent.Outcome;
import dev.sofy.server.delivery.CarrierUnavailableException;
import dev.sofy.server.delivery.OutboundSms;
import dev.sofy.server.delivery.SubmitRejectedException;
import dev.sofy.server.delivery.SubmitResult;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.jsmpp.SMPPConstant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SmppConnectorTest {
    private static final String SYSTEM_ID = "sofy";
    private static final String PASSWORD = "secret";
    private static final String HANDSET = "33612345678";
    private static final Duration RECEIPT_DELAY = Duration.ofMillis(20);

    private final List<AutoCloseable> opened = new ArrayList<>();
    private final CollectedEvents events = new CollectedEvents();
    private SmscSimulator simulator;
    private SmppConnector connector;

    @AfterEach
    void closeEverything() throws Exception {
        if (connector != null) {
            connector.close();
        }
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
    }

    @Test
    void aShortGsm7SmsGetsOneIdAndADeliveredReceipt() {
        connect();

        SubmitResult result = submit("APITEST", HANDSET, "Your code is 1234").join();

        assertEquals(1, result.carrierMessageIds().size());
        String carrierId = result.carrierMessageIds().get(0);
        DeliveryReceipt receipt = events.awaitReceipt(carrierId);
        assertEquals(Outcome.DELIVERED, receipt.outcome());
        assertNull(receipt.errorCode());
        SmscSimulator.ReceivedSubmit received = onlySubmit();
        assertEquals(carrierId, received.messageId());
        assertEquals(ShortMessages.DATA_CODING_GSM7, received.dataCoding());
        assertFalse(received.udhi());
        assertEquals(1, received.registeredDelivery(), "a final receipt, success or failure, is asked for");
        assertEquals("Your code is 1234", received.text());
    }

    @Test
    void theRecipientGoesAsAnInternationalNumberAndEachKindOfSenderWithItsTypeOfNumber() {
        connect();

        submit("My Shop", "+" + HANDSET, "hi").join();
        submit("36789", HANDSET, "hi").join();
        submit("+33611223344", HANDSET, "hi").join();

        List<SmscSimulator.ReceivedSubmit> received = simulator.received();
        assertEquals(HANDSET, received.get(0).destination());
        assertEquals(1, received.get(0).destinationTon());
        assertEquals(1, received.get(0).destinationNpi());
        assertEquals(List.of(5, 3, 1), received.stream().map(submit -> (int) submit.sourceTon()).collect(Collectors.toList()));
        assertEquals(List.of("My Shop", "36789", "33611223344"),
                received.stream().map(SmscSimulator.ReceivedSubmit::source).collect(Collectors.toList()));
        assertEquals(1, received.get(2).sourceNpi());
    }

    @Test
    void anExtensionCharacterGoesAsAnEscapeAndItsCode() {
        connect();

        submit("APITEST", HANDSET, "5€").join();

        assertArrayEquals(new byte[] {0x35, 0x1B, 0x65}, onlySubmit().shortMessage());
    }

    @Test
    void aLongSmsGoesAsConcatenatedPartsAndGetsAReceiptPerPart() {
        connect();
        String text = "Long message. ".repeat(25);

        SubmitResult result = submit("APITEST", HANDSET, text).join();

        assertEquals(3, result.carrierMessageIds().size());
        assertEquals(3, new HashSet<>(result.carrierMessageIds()).size());
        for (String carrierId : result.carrierMessageIds()) {
            assertEquals(Outcome.DELIVERED, events.awaitReceipt(carrierId).outcome());
        }
        List<SmscSimulator.ReceivedSubmit> parts = simulator.received();
        parts.sort((a, b) -> Byte.compare(a.userDataHeader()[5], b.userDataHeader()[5]));
        byte reference = parts.get(0).userDataHeader()[3];
        for (int i = 0; i < 3; i++) {
            SmscSimulator.ReceivedSubmit part = parts.get(i);
            assertTrue(part.udhi(), "esm_class has UDHI");
            assertArrayEquals(new byte[] {0x05, 0x00, 0x03, reference, 3, (byte) (i + 1)}, part.userDataHeader());
            assertEquals(ShortMessages.DATA_CODING_GSM7, part.dataCoding());
        }
        assertEquals(153, parts.get(0).text().length());
        assertEquals(text, parts.stream().map(SmscSimulator.ReceivedSubmit::text).collect(Collectors.joining()));
    }

    @Test
    void aUcs2SmsRoundTripsItsText() {
        connect();
        String text = "Привет 😀 ça va ? ".repeat(6);

        SubmitResult result = submit("APITEST", HANDSET, text).join();

        assertEquals(2, result.carrierMessageIds().size());
        List<SmscSimulator.ReceivedSubmit> parts = simulator.received();
        parts.sort((a, b) -> Byte.compare(a.userDataHeader()[5], b.userDataHeader()[5]));
        assertEquals(ShortMessages.DATA_CODING_UCS2, parts.get(0).dataCoding());
        assertEquals(6 + 134, parts.get(0).shortMessage().length, "a full part is 67 UTF-16 units behind the header");
        assertEquals(text, parts.stream().map(SmscSimulator.ReceivedSubmit::text).collect(Collectors.joining()));
    }

    @Test
    void aSingleUcs2SmsHasNoHeader() {
        connect();

        submit("APITEST", HANDSET, "Arrête 😀").join();

        SmscSimulator.ReceivedSubmit received = onlySubmit();
        assertFalse(received.udhi());
        assertEquals(ShortMessages.DATA_CODING_UCS2, received.dataCoding());
        assertEquals("Arrête 😀", received.text());
    }

    @Test
    void theRejectedNumberIsRefusedForGoodWithTheCommandStatus() {
        connect();

        Throwable failure = failureOf(submit("APITEST", SmscSimulator.REJECTED_NUMBER, "hi"));

        var rejected = assertInstanceOf(SubmitRejectedException.class, failure);
        assertEquals("smsc-rejected:0x0000000B", rejected.reason());
    }

    @Test
    void theThrottledNumberMakesTheCarrierUnavailable() {
        connect();

        Throwable failure = failureOf(submit("APITEST", SmscSimulator.THROTTLED_NUMBER, "hi"));

        assertInstanceOf(CarrierUnavailableException.class, failure);
    }

    @Test
    void aFullQueueForOneNumberDoesNotBackTheCarrierOff() {
        connect();

        failureOf(submit("APITEST", SmscSimulator.THROTTLED_NUMBER, "hi"));

        assertTrue(connector.isReady(), "ESME_RMSGQFUL is about that message, not the link's rate");
    }

    @Test
    void theUndeliveredNumberGetsAnUndeliveredReceiptWithItsErrorCode() {
        connect();

        String carrierId = submit("APITEST", SmscSimulator.UNDELIVERED_NUMBER, "hi").join().carrierMessageIds().get(0);

        DeliveryReceipt receipt = events.awaitReceipt(carrierId);
        assertEquals(Outcome.UNDELIVERED, receipt.outcome());
        assertEquals(SmscSimulator.UNDELIVERED_ERROR, receipt.errorCode());
    }

    @Test
    void theExpiredNumberGetsAnExpiredReceipt() {
        connect();

        String carrierId = submit("APITEST", SmscSimulator.EXPIRED_NUMBER, "hi").join().carrierMessageIds().get(0);

        assertEquals(Outcome.EXPIRED, events.awaitReceipt(carrierId).outcome());
    }

    @Test
    void theNoReceiptNumberIsAcceptedAndNeverGetsAReceipt() throws InterruptedException {
        connect();

        String silent = submit("APITEST", SmscSimulator.NO_RECEIPT_NUMBER, "hi").join().carrierMessageIds().get(0);
        String later = submit("APITEST", HANDSET, "hi").join().carrierMessageIds().get(0);

        events.awaitReceipt(later);
        TimeUnit.MILLISECONDS.sleep(200);
        assertFalse(events.hasReceiptFor(silent));
    }

    @Test
    void aMessageFromAHandsetReachesTheListener() {
        connect();

        simulator.sendInbound(HANDSET, "36789", "STOP");

        InboundMessage message = events.awaitInbound();
        assertEquals(HANDSET, message.from());
        assertEquals("36789", message.to());
        assertEquals("STOP", message.text());
    }

    @Test
    void aUcs2MessageFromAHandsetIsDecoded() {
        connect();

        simulator.sendInbound(HANDSET, "33611223344", "Arrêtez 😀");

        assertEquals("Arrêtez 😀", events.awaitInbound().text());
    }

    @Test
    void anEventTheListenerFailedOnIsDeliveredAgain() {
        var failures = new AtomicInteger();
        Consumer<CarrierEvent> failingOnce = event -> {
            if (failures.getAndIncrement() == 0) {
                throw new IllegalStateException("database down");
            }
            events.accept(event);
        };
        connect(UnaryOperator.identity(), failingOnce);

        String carrierId = submit("APITEST", HANDSET, "hi").join().carrierMessageIds().get(0);

        assertEquals(Outcome.DELIVERED, events.awaitReceipt(carrierId).outcome());
        assertEquals(2, failures.get());
    }

    @Test
    void theWindowBoundsTheSubmitsAwaitingAResponse() throws InterruptedException {
        connect(settings -> settings.withResponseTimeout(Duration.ofSeconds(30)).withWindow(4));
        simulator.holdSubmits();

        var futures = new ArrayList<CompletableFuture<SubmitResult>>();
        for (int i = 0; i < 20; i++) {
            futures.add(submit("APITEST", HANDSET, "message " + i));
        }
        await(() -> simulator.heldSubmitCount() == 4, "four held submits");
        TimeUnit.MILLISECONDS.sleep(200);
        assertEquals(4, simulator.submitCount());
        simulator.releaseSubmits();

        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
        assertEquals(20, simulator.submitCount());
    }

    @Test
    void theSubmitRateIsHonoured() {
        connect(settings -> settings.withSubmitRate(1000));
        var futures = new ArrayList<CompletableFuture<SubmitResult>>();

        long start = System.nanoTime();
        for (int i = 0; i < 500; i++) {
            futures.add(submit("APITEST", HANDSET, "message " + i));
        }
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertTrue(elapsedMillis >= 450, "500 submits at 1000/s took " + elapsedMillis + " ms");
    }

    @Test
    void losingTheSmscFailsPendingSubmitsAndTheConnectorRebindsWhenItComesBack() throws Exception {
        connect();
        int port = simulator.port();
        simulator.holdSubmits();
        var pending = new ArrayList<CompletableFuture<SubmitResult>>();
        for (int i = 0; i < 3; i++) {
            pending.add(submit("APITEST", HANDSET, "message " + i));
        }
        await(() -> simulator.heldSubmitCount() == 3, "three held submits");

        simulator.close();

        for (var future : pending) {
            assertInstanceOf(CarrierUnavailableException.class, failureOf(future));
        }
        await(() -> !connector.isBound(), "the connector to notice");
        assertInstanceOf(CarrierUnavailableException.class, failureOf(submit("APITEST", HANDSET, "while down")));

        simulator = open(SmscSimulator.start(port, SYSTEM_ID, PASSWORD, RECEIPT_DELAY));
        assertTrue(connector.awaitBound(Duration.ofSeconds(10)), "rebound");
        String carrierId = submit("APITEST", HANDSET, "after").join().carrierMessageIds().get(0);
        assertEquals(Outcome.DELIVERED, events.awaitReceipt(carrierId).outcome());
    }

    @Test
    void aReceiptDueWhileNoReceiverIsBoundArrivesAfterTheNextBind() throws Exception {
        simulator = open(SmscSimulator.start(0, SYSTEM_ID, PASSWORD, Duration.ofMillis(300)));
        var first = open(new SmppConnector(settings()));
        first.start(event -> {});
        String carrierId = first.submit(new OutboundSms("sms-1", "APITEST", HANDSET, "hi")).join()
                .carrierMessageIds().get(0);
        first.close();
        TimeUnit.MILLISECONDS.sleep(500);

        connector = open(new SmppConnector(settings()));
        connector.start(events);

        assertEquals(Outcome.DELIVERED, events.awaitReceipt(carrierId).outcome());
    }

    @Test
    void anIdleLinkIsKeptAliveWithEnquireLinks() {
        connect(settings -> settings.withEnquireLinkInterval(Duration.ofMillis(100)));

        await(() -> simulator.enquireLinkCount() >= 3, "three enquire_link PDUs");

        assertTrue(connector.isBound());
        assertEquals(Outcome.DELIVERED,
                events.awaitReceipt(submit("APITEST", HANDSET, "still there").join().carrierMessageIds().get(0)).outcome());
    }

    @Test
    void closingTheConnectorUnbinds() {
        connect();
        await(() -> simulator.boundSessionCount() == 1, "a bound session");

        connector.close();

        await(() -> simulator.boundSessionCount() == 0, "the session to go");
        assertInstanceOf(CarrierUnavailableException.class, failureOf(submit("APITEST", HANDSET, "too late")));
    }

    /**
     * An SMSC may hang up right after unbind, and jsmpp can drop an unbind_resp read just before
     * the hang-up: either way the unbind is over once the link closes, not at the unbind timeout.
     */
    @Test
    void closingEndsAsSoonAsTheSmscHangsUpOnTheUnbind() throws Exception {
        var smsc = open(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
        var unbindReceived = new CompletableFuture<Void>();
        var peer = new Thread(() -> bindThenHangUpOnUnbind(smsc, unbindReceived), "smsc-hanging-up");
        peer.setDaemon(true);
        peer.start();
        connector = open(new SmppConnector(SmppSettings.of("127.0.0.1", smsc.getLocalPort(), SYSTEM_ID, PASSWORD,
                50_000, 16)));
        connector.start(events);
        assertTrue(connector.isBound(), "bound once started");

        long start = System.nanoTime();
        connector.close();
        Duration closing = Duration.ofNanos(System.nanoTime() - start);

        unbindReceived.get(5, TimeUnit.SECONDS);
        assertTrue(closing.compareTo(SmppConnector.UNBIND_TIMEOUT) < 0,
                "closed in " + closing.toMillis() + " ms, before the unbind timeout");
    }

    /** Plays an SMSC that accepts a bind_transceiver and closes the link, unanswered, on unbind. */
    private static void bindThenHangUpOnUnbind(ServerSocket smsc, CompletableFuture<Void> unbindReceived) {
        try (Socket link = smsc.accept();
             var in = new DataInputStream(link.getInputStream());
             var out = new DataOutputStream(link.getOutputStream())) {
            while (true) {
                int length = in.readInt();
                int command = in.readInt();
                in.readInt(); // command_status
                int sequence = in.readInt();
                in.skipNBytes(length - 16L);
                if (command == SMPPConstant.CID_BIND_TRANSCEIVER) {
                    byte[] systemId = "smsc\0".getBytes(StandardCharsets.US_ASCII);
                    out.writeInt(16 + systemId.length);
                    out.writeInt(SMPPConstant.CID_BIND_TRANSCEIVER_RESP);
                    out.writeInt(SMPPConstant.STAT_ESME_ROK);
                    out.writeInt(sequence);
                    out.write(systemId);
                    out.flush();
                } else if (command == SMPPConstant.CID_UNBIND) {
                    unbindReceived.complete(null);
                    return;
                }
            }
        } catch (IOException e) {
            unbindReceived.completeExceptionally(e);
        }
    }

    /**
     * Whoever closes the connector next records what became of each SMS (the dispatcher does, in
     * the thread that settles the submission, before the server closes its store): every
     * submission must be settled, and its callbacks run, by the time close returns; even a part
     * that a sender thread had taken and was pacing.
     */
    @Test
    void closingTheConnectorSettlesEverySubmissionBeforeItReturns() {
        connect(settings -> settings.withSubmitRate(10).withWindow(16));
        var settled = new AtomicInteger();
        for (int i = 0; i < 20; i++) {
            submit("APITEST", HANDSET, "message " + i).whenComplete((result, failure) -> {
                sleep(Duration.ofMillis(20)); // as recording the outcome takes a moment
                settled.incrementAndGet();
            });
        }
        await(() -> simulator.submitCount() >= 1, "the first submit");

        connector.close();

        assertEquals(20, settled.get(), "submissions settled once close returned");
    }

    private static void sleep(Duration duration) {
        try {
            TimeUnit.MILLISECONDS.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aTextTooLongForConcatenationIsRefusedWithoutReachingTheSmsc() {
        connect();

        Throwable failure = failureOf(submit("APITEST", HANDSET, "a".repeat(153 * 255 + 1)));

        assertInstanceOf(SubmitRejectedException.class, failure);
        assertEquals(0, simulator.submitCount());
    }

    /** Settings for the current simulator: a fast pace and a short backoff. */
    private SmppSettings settings() {
        return SmppSettings.of("127.0.0.1", simulator.port(), SYSTEM_ID, PASSWORD, 50_000, 16)
                .withReconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(200));
    }

    private void connect() {
        connect(UnaryOperator.identity(), events);
    }

    private void connect(UnaryOperator<SmppSettings> adjustment) {
        connect(adjustment, events);
    }

    /** A simulator, and a connector started on it. */
    private void connect(UnaryOperator<SmppSettings> adjustment, Consumer<CarrierEvent> listener) {
        try {
            simulator = open(SmscSimulator.start(0, SYSTEM_ID, PASSWORD, RECEIPT_DELAY));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        connector = open(new SmppConnector(adjustment.apply(settings())));
        connector.start(listener);
        assertTrue(connector.isBound(), "bound once started");
    }

    private CompletableFuture<SubmitResult> submit(String from, String to, String text) {
        return connector.submit(new OutboundSms("sms-" + System.nanoTime(), from, to, text));
    }

    private SmscSimulator.ReceivedSubmit onlySubmit() {
        List<SmscSimulator.ReceivedSubmit> received = simulator.received();
        assertEquals(1, received.size());
        return received.get(0);
    }

    private static Throwable failureOf(CompletableFuture<?> future) {
        try {
            future.join();
        } catch (CompletionException e) {
            return e.getCause();
        }
        throw new AssertionError("the future completed normally");
    }

    private <T extends AutoCloseable> T open(T closeable) {
        opened.add(closeable);
        return closeable;
    }
}
