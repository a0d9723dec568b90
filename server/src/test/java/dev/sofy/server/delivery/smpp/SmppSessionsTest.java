package dev.sofy.server.delivery.smpp;

import static dev.sofy.server.delivery.smpp.CollectedEvents.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sofy.server.delivery.CarrierUnavailableException;
import dev.sofy.server.delivery.OutboundSms;
import dev.sofy.server.delivery.SubmitResult;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A carrier's several binds, and throttling: what one SMSC does to its connector only. */
class SmppSessionsTest {
    private static final String SYSTEM_ID = "sofy";
    private static final String PASSWORD = "secret";
    private static final String HANDSET = "33612345678";

    private final List<AutoCloseable> opened = new ArrayList<>();

    @AfterEach
    void closeEverything() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
    }

    @Test
    void twoBindsOpenTwoSessionsAtTheSmsc() throws Exception {
        SmscSimulator simulator = simulator();

        SmppConnector connector = connector(simulator, "two", 2);

        assertTrue(connector.awaitBoundSessions(2, Duration.ofSeconds(5)), "two sessions bound");
        await(() -> simulator.boundSessionCount() == 2, "two sessions at the simulator");
    }

    @Test
    void submitsAreSpreadOverBothSessionsOfACarrier() throws Exception {
        SmscSimulator simulator = simulator();
        SmppConnector connector = connector(simulator, "two", 2);
        assertTrue(connector.awaitBoundSessions(2, Duration.ofSeconds(5)));

        List<CompletableFuture<SubmitResult>> submissions = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            submissions.add(submit(connector, "spread " + i));
        }
        CompletableFuture.allOf(submissions.toArray(CompletableFuture[]::new)).join();

        Map<String, Long> bySession = simulator.received().stream()
                .collect(Collectors.groupingBy(SmscSimulator.ReceivedSubmit::sessionId, Collectors.counting()));
        assertEquals(2, bySession.size(), "submits by session: " + bySession);
        assertTrue(bySession.values().stream().allMatch(count -> count >= 20), "submits by session: " + bySession);
    }

    @Test
    void aCarrierStaysBoundWhileOneOfItsSessionsRebinds() throws Exception {
        SmscSimulator simulator = simulator();
        SmppConnector connector = connector(simulator, "two", 2);
        assertTrue(connector.awaitBoundSessions(2, Duration.ofSeconds(5)));
        int port = simulator.port();
        simulator.close();
        await(() -> !connector.isBound(), "the links lost");
        SmscSimulator again = open(SmscSimulator.start(port, SYSTEM_ID, PASSWORD, Duration.ZERO));

        assertTrue(connector.awaitBoundSessions(2, Duration.ofSeconds(5)), "both sessions bound again");
        assertEquals(2, again.boundSessionCount());
    }

    @Test
    void aThrottledSubmitFailsAsCarrierUnavailable() throws Exception {
        SmscSimulator simulator = simulator();
        SmppConnector connector = connector(simulator, "busy", 1);
        simulator.throttleAll(true);

        Throwable failure = failureOf(submit(connector, "too fast"));

        assertInstanceOf(CarrierUnavailableException.class, failure);
    }

    @Test
    void aThrottledCarrierIsNotReadyWhileItBacksOff() throws Exception {
        SmscSimulator simulator = simulator();
        SmppConnector connector = connector(simulator, "busy", 1);
        simulator.throttleAll(true);

        failureOf(submit(connector, "too fast"));

        assertTrue(connector.isBound(), "still bound");
        assertFalse(connector.isReady(), "backing off");
    }

    @Test
    void aCarrierIsReadyAgainOnceASubmitIsAccepted() throws Exception {
        SmscSimulator simulator = simulator();
        SmppConnector connector = connector(simulator, "busy", 1);
        simulator.throttleAll(true);
        failureOf(submit(connector, "too fast"));
        simulator.throttleAll(false);

        submit(connector, "fine now").join();

        assertTrue(connector.isReady());
    }

    @Test
    void throttlingByOneSmscLeavesAnotherCarrierReadyAndAcceptingEverything() throws Exception {
        SmscSimulator busy = simulator();
        SmscSimulator calm = simulator();
        SmppConnector throttled = connector(busy, "busy", 1);
        SmppConnector other = connector(calm, "calm", 1);
        busy.throttleAll(true);

        List<CompletableFuture<SubmitResult>> refused = new ArrayList<>();
        List<CompletableFuture<SubmitResult>> accepted = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            refused.add(submit(throttled, "refused " + i));
            accepted.add(submit(other, "accepted " + i));
        }
        CompletableFuture.allOf(accepted.toArray(CompletableFuture[]::new)).join();
        refused.forEach(SmppSessionsTest::failureOf);

        assertFalse(throttled.isReady(), "the throttled carrier backs off");
        assertTrue(other.isReady(), "the other carrier is ready");
        assertEquals(50, calm.received().size(), "the other carrier got every submit");
    }

    @Test
    void twoCarriersCountTheirSubmitsApartInOneRegistry() throws Exception {
        var metrics = new SimpleMeterRegistry();
        SmppConnector first = connector(simulator(), "first", 1, metrics);
        connector(simulator(), "second", 1, metrics);

        submit(first, "counted once").join();

        assertEquals(List.of(1.0, 0.0), List.of(
                metrics.get("sofy.carrier.submits").tags("carrier", "first", "outcome", "accepted").counter().count(),
                metrics.get("sofy.carrier.submits").tags("carrier", "second", "outcome", "accepted").counter().count()));
    }

    @Test
    void theSessionsGaugeCountsTheBoundSessionsOfACarrier() throws Exception {
        var metrics = new SimpleMeterRegistry();
        SmppConnector connector = connector(simulator(), "two", 2, metrics);
        assertTrue(connector.awaitBoundSessions(2, Duration.ofSeconds(5)));

        assertEquals(2.0, metrics.get("sofy.carrier.sessions").tag("carrier", "two").gauge().value());
    }

    private SmscSimulator simulator() throws IOException {
        return open(SmscSimulator.start(0, SYSTEM_ID, PASSWORD, Duration.ZERO));
    }

    private SmppConnector connector(SmscSimulator simulator, String name, int binds) {
        return connector(simulator, name, binds, new SimpleMeterRegistry());
    }

    private SmppConnector connector(SmscSimulator simulator, String name, int binds, MeterRegistry metrics) {
        var settings = SmppSettings.of("127.0.0.1", simulator.port(), SYSTEM_ID, PASSWORD, 50_000, 8)
                .withReconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(200))
                .withName(name)
                .withBinds(binds);
        SmppConnector connector = open(new SmppConnector(settings, metrics));
        connector.start(event -> {});
        assertTrue(connector.isBound(), "bound once started");
        return connector;
    }

    private static CompletableFuture<SubmitResult> submit(SmppConnector connector, String text) {
        return connector.submit(new OutboundSms("sms-" + System.nanoTime(), "APITEST", HANDSET, text));
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
