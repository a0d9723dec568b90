package dev.sofy.server.delivery.smpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.sofy.server.delivery.OutboundSms;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The validity of an SMS goes to the SMSC as its {@code validity_period}, so that it is not delivered late. */
class SmppValidityTest {
    private SmscSimulator simulator;
    private SmppConnector connector;

    @BeforeEach
    void connect() throws Exception {
        simulator = SmscSimulator.start(0, "sofy", "secret", Duration.ofMillis(20));
        connector = new SmppConnector(SmppSettings.of("127.0.0.1", simulator.port(), "sofy", "secret", 50_000, 16));
        connector.start(event -> { });
    }

    @AfterEach
    void close() throws Exception {
        connector.close();
        simulator.close();
    }

    private SmscSimulator.ReceivedSubmit submitted(Instant validUntil) {
        connector.submit(new OutboundSms("sms-1", "APITEST", "33612345678", "Your code is 1234", validUntil)).join();
        List<SmscSimulator.ReceivedSubmit> received = simulator.received();
        assertEquals(1, received.size());
        return received.get(0);
    }

    @Test
    void anSmsValidUntilAnInstantGoesWithThatInstantAsAnAbsoluteTimeInUtc() {
        assertEquals("270104091500000+", submitted(Instant.parse("2027-01-04T09:15:00Z")).validityPeriod());
    }

    @Test
    void anSmsWithoutValidityLeavesTheSmscsDefault() {
        assertNull(submitted(null).validityPeriod());
    }

    @Test
    void tenthsOfASecondAreKeptAndTheRestDropped() {
        assertEquals("270104091500700+", SmppTimes.validityPeriod(Instant.parse("2027-01-04T09:15:00.789Z")));
    }
}
