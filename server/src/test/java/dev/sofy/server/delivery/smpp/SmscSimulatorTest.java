package dev.sofy.server.delivery.smpp;

import static dev.sofy.server.delivery.smpp.CollectedEvents.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sofy.server.delivery.CarrierUnavailableException;
import dev.sofy.server.delivery.OutboundSms;
import dev.sofy.server.numbers.PhoneNumbers;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SmscSimulatorTest {
    private SmscSimulator simulator;

    @BeforeEach
    void startSimulator() throws IOException {
        simulator = SmscSimulator.start(0, "sofy", "secret", Duration.ZERO);
    }

    @AfterEach
    void stopSimulator() {
        simulator.close();
    }

    @Test
    void itListensOnAFreeLoopbackPortWhenAskedForPortZero() throws IOException {
        assertTrue(simulator.port() > 0);
        assertEquals("127.0.0.1", simulator.host());
        try (var socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", simulator.port()), 1000);
        }
    }

    @ParameterizedTest(name = "{0} passes the API's recipient rules")
    @ValueSource(strings = {SmscSimulator.REJECTED_NUMBER, SmscSimulator.UNDELIVERED_NUMBER,
        SmscSimulator.EXPIRED_NUMBER, SmscSimulator.NO_RECEIPT_NUMBER, SmscSimulator.THROTTLED_NUMBER})
    void theMagicNumbersAreValidRecipients(String number) {
        assertEquals(Optional.of(number), PhoneNumbers.normaliseRecipient("+" + number));
    }

    @Test
    void aBindWithTheWrongPasswordIsRefusedAndNothingCanBeSubmitted() {
        var settings = SmppSettings.of("127.0.0.1", simulator.port(), "sofy", "wrong", 100, 4)
                .withReconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(100));
        try (var connector = new SmppConnector(settings)) {
            connector.start(event -> {});

            assertFalse(connector.isBound());
            assertEquals(0, simulator.boundSessionCount());
            var failure = assertThrows(CompletionException.class,
                    () -> connector.submit(new OutboundSms("sms-1", "APITEST", "33612345678", "hi")).join());
            assertTrue(failure.getCause() instanceof CarrierUnavailableException, failure.toString());
        }
    }

    @Test
    void aConnectorStartedBeforeTheSmscBindsOnceItListens() throws Exception {
        int port = simulator.port();
        simulator.close();
        var settings = SmppSettings.of("127.0.0.1", port, "sofy", "secret", 100, 4)
                .withReconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(100));
        try (var connector = new SmppConnector(settings)) {
            connector.start(event -> {});
            assertFalse(connector.isBound());

            simulator = SmscSimulator.start(port, "sofy", "secret", Duration.ZERO);

            assertTrue(connector.awaitBound(Duration.ofSeconds(10)));
        }
    }

    @Test
    void anInboundMessageNeedsABoundReceiver() {
        assertThrows(IllegalStateException.class, () -> simulator.sendInbound("33612345678", "36789", "STOP"));
    }

    @Test
    void anInboundMessageFitsOneSms() {
        var settings = SmppSettings.of("127.0.0.1", simulator.port(), "sofy", "secret", 100, 4);
        try (var connector = new SmppConnector(settings)) {
            connector.start(event -> {});
            await(() -> simulator.boundSessionCount() == 1, "a bound session");

            assertThrows(IllegalArgumentException.class,
                    () -> simulator.sendInbound("33612345678", "36789", "a".repeat(161)));
        }
    }
}
