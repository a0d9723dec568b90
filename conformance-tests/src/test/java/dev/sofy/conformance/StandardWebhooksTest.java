package dev.sofy.conformance;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The suite's own signature check agrees with the example of the Standard Webhooks specification. */
final class StandardWebhooksTest {
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final String TIMESTAMP = "1614265330";
    private static final byte[] BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
    private static final String SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    @Test
    void theSpecificationsExampleVerifies() {
        assertTrue(StandardWebhooks.verifies(SECRET, ID, TIMESTAMP, BODY, SIGNATURE));
    }

    @Test
    void theExampleVerifiesAmongOtherSignatures() {
        assertTrue(StandardWebhooks.verifies(SECRET, ID, TIMESTAMP, BODY, "v2,abc " + SIGNATURE));
    }

    @Test
    void anotherBodyDoesNotVerify() {
        assertFalse(StandardWebhooks.verifies(SECRET, ID, TIMESTAMP, "{\"test\": 2432232315}".getBytes(StandardCharsets.UTF_8),
                SIGNATURE));
    }

    @Test
    void anotherTimestampDoesNotVerify() {
        assertFalse(StandardWebhooks.verifies(SECRET, ID, "1614265331", BODY, SIGNATURE));
    }
}
