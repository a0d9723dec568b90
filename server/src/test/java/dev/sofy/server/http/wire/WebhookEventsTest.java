package dev.sofy.server.http.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sofy.server.sms.Encoding;
import dev.sofy.server.sms.Message;
import dev.sofy.server.sms.Status;
import dev.sofy.server.webhooks.Delivery;
import dev.sofy.server.webhooks.EventType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Receivers check signatures computed over the payload's bytes, and may compare payloads of
 * retries: these pin the bytes the server has always sent for two fixed events.
 */
class WebhookEventsTest {
    private static final Instant CREATED = Instant.parse("2026-01-02T03:04:05.123456Z");
    private final WebhookEvents events = new WebhookEvents(() -> "https://sofy.test");

    @Test
    void aClickPayloadIsByteForByteTheOneSentBefore() {
        var message = new Message("8_zyfMv7Q_o7ovXviPUu3", 1, "Sofy", "33612345678",
                "Bonjour 👋 https://example.com/a", true, false, Status.DELIVERED, "", CREATED,
                Instant.parse("2026-01-02T03:04:07Z"), 1, Encoding.UCS2.wireName(), CREATED.plus(Duration.ofHours(48)),
                "Bonjour 👋 https://sofy.test/r/abcdefghij", null);
        var links = List.of(new Delivery.Link("abcdefghij", "https://example.com/a", 2));
        var click = new Delivery(7, "wh_1", "https://hooks.example.com", "whsec_x", EventType.SMS_CLICK, "evt_1", 42,
                Instant.parse("2026-01-02T04:00:00.5Z"), 0, message, links, links.get(0));

        assertEquals("{\"type\":\"sms.click\",\"timestamp\":\"2026-01-02T04:00:00.5Z\",\"sequence\":42,\"data\":{\"sms\":"
                + "{\"shortenUrls\":true,\"isTransactional\":false,\"from\":\"Sofy\",\"to\":\"33612345678\","
                + "\"body\":\"Bonjour 👋 https://example.com/a\",\"id\":\"8_zyfMv7Q_o7ovXviPUu3\",\"status\":\"delivered\","
                + "\"statusReason\":\"\",\"createdAt\":\"2026-01-02T03:04:05.123456Z\","
                + "\"statusUpdatedAt\":\"2026-01-02T03:04:07Z\",\"segments\":1,\"encoding\":\"UCS-2\","
                + "\"links\":[{\"url\":\"https://example.com/a\",\"shortUrl\":\"https://sofy.test/r/abcdefghij\","
                + "\"clicks\":2}]},\"link\":{\"url\":\"https://example.com/a\","
                + "\"shortUrl\":\"https://sofy.test/r/abcdefghij\",\"clicks\":2}}}",
                new String(events.of(click), StandardCharsets.UTF_8));
    }

    @Test
    void aStatusPayloadOfAHeldSmsWithoutLinksIsByteForByteTheOneSentBefore() {
        var held = new Message("8_zyfMv7Q_o7ovXviPUu4", 1, "36789", "590690112233", "Promo -20% STOP 36200",
                false, false, Status.PENDING, "", CREATED, CREATED, 1, Encoding.GSM7.wireName(),
                CREATED.plus(Duration.ofHours(60)), null, Instant.parse("2026-01-02T08:00:00Z"));
        var status = new Delivery(8, "wh_1", "https://hooks.example.com", "whsec_x", EventType.SMS_STATUS, "evt_2", 43,
                CREATED, 3, held, List.of(), null);

        assertEquals("{\"type\":\"sms.status\",\"timestamp\":\"2026-01-02T03:04:05.123456Z\",\"sequence\":43,\"data\":"
                + "{\"sms\":{\"shortenUrls\":false,\"isTransactional\":false,\"from\":\"36789\",\"to\":\"590690112233\","
                + "\"body\":\"Promo -20% STOP 36200\",\"id\":\"8_zyfMv7Q_o7ovXviPUu4\",\"status\":\"pending\","
                + "\"statusReason\":\"\",\"createdAt\":\"2026-01-02T03:04:05.123456Z\","
                + "\"statusUpdatedAt\":\"2026-01-02T03:04:05.123456Z\",\"segments\":1,\"encoding\":\"GSM-7\","
                + "\"heldUntil\":\"2026-01-02T08:00:00Z\"}}}",
                new String(events.of(status), StandardCharsets.UTF_8));
    }
}
