package dev.sofy.server.http.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sofy.server.inbound.InboundSms;
import dev.sofy.server.webhooks.Delivery;
import dev.sofy.server.webhooks.EventType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bytes of an {@code sms.received} payload: the inbound SMS alone, as {@code GET /v1/inbound-sms/{id}} shows it. */
class InboundWebhookEventsTest {
    private final WebhookEvents events = new WebhookEvents(() -> "https://sofy.test");

    @Test
    void aReceivedPayloadCarriesTheInboundSmsAndNoSms() {
        Instant received = Instant.parse("2026-01-02T03:04:05.123456Z");
        var inbound = new InboundSms("8_zyfMv7Q_o7ovXviPUu5", 1, "12025550106", "36789", "Re: Hello 👋", received);
        var delivery = new Delivery(9, "wh_1", "https://hooks.example.com", "whsec_x", EventType.SMS_RECEIVED,
                "received_8_zyfMv7Q_o7ovXviPUu5", 44, received, 0, null, List.of(), null, inbound);

        assertEquals("{\"type\":\"sms.received\",\"timestamp\":\"2026-01-02T03:04:05.123456Z\",\"sequence\":44,"
                + "\"data\":{\"inboundSms\":{\"id\":\"8_zyfMv7Q_o7ovXviPUu5\",\"from\":\"12025550106\",\"to\":\"36789\","
                + "\"text\":\"Re: Hello 👋\",\"receivedAt\":\"2026-01-02T03:04:05.123456Z\"}}}",
                new String(events.of(delivery), StandardCharsets.UTF_8));
    }
}
