package dev.sofy.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The callback validator itself: it passes a conforming event and catches the usual mistakes. */
@ExtendWith(ConformanceExtension.class)
final class CallbackValidatorTest {
    private static final String SMS = "{\"shortenUrls\":true,\"isTransactional\":false,\"from\":\"APITEST\","
            + "\"to\":\"590690112233\",\"body\":\"Hello world\",\"id\":\"8_zyfMv7Q_o7ovXviPUu3\",\"status\":\"sent\","
            + "\"statusReason\":\"\"}";
    private static final String EVENT = "{\"type\":\"sms.status\",\"timestamp\":\"2026-01-05T10:00:00Z\",\"sequence\":7,"
            + "\"data\":{\"sms\":" + SMS + "}}";

    private final CallbackValidator callback;

    CallbackValidatorTest(CallbackValidator callback) {
        this.callback = callback;
    }

    private static Map<String, List<String>> headers() {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Content-Type", List.of("application/json"));
        headers.put("webhook-id", List.of("status_7"));
        headers.put("webhook-timestamp", List.of("1767607200"));
        headers.put("webhook-signature", List.of("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="));
        return headers;
    }

    private List<String> violations(Map<String, List<String>> headers, String body) {
        return callback.violations(headers, body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aConformingEventHasNoViolation() {
        assertEquals(List.of(), violations(headers(), EVENT));
    }

    @Test
    void anUnknownStatusInTheEventIsAViolation() {
        assertFalse(violations(headers(), EVENT.replace("\"sent\"", "\"queued\"")).isEmpty());
    }

    @Test
    void aPropertyTheSpecDoesNotNameIsAViolation() {
        assertFalse(violations(headers(), EVENT.replace("\"sequence\":7", "\"sequence\":7,\"attempt\":1")).isEmpty());
    }

    @Test
    void anEventWithoutItsSequenceIsAViolation() {
        assertFalse(violations(headers(), EVENT.replace("\"sequence\":7,", "")).isEmpty());
    }

    @Test
    void aMissingSignatureHeaderIsAViolation() {
        Map<String, List<String>> headers = headers();
        headers.remove("webhook-signature");

        assertFalse(violations(headers, EVENT).isEmpty());
    }

    @Test
    void aTimestampThatIsNoNumberIsAViolation() {
        Map<String, List<String>> headers = headers();
        headers.put("webhook-timestamp", List.of("yesterday"));

        assertFalse(violations(headers, EVENT).isEmpty());
    }

    @Test
    void anEventSentAsTextIsAViolation() {
        Map<String, List<String>> headers = headers();
        headers.put("Content-Type", List.of("text/plain"));

        assertFalse(violations(headers, EVENT).isEmpty());
    }
}
