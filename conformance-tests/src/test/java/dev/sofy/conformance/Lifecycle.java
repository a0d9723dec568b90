package dev.sofy.conformance;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;

/** Waiting for an SMS to reach a status, and the test numbers of the built-in SMSC simulator. */
final class Lifecycle {
    /** Refused by the simulator at submission (invalid destination). */
    static final String REJECTED_NUMBER = "+12025550101";
    /** Gets an undelivered receipt with error 001. */
    static final String UNDELIVERED_NUMBER = "+12025550102";
    /** Gets an expired receipt. */
    static final String EXPIRED_NUMBER = "+12025550103";
    /** Accepted, never gets a receipt. */
    static final String NO_RECEIPT_NUMBER = "+12025550104";
    /** Throttled at every submission: the carrier stays unavailable. */
    static final String THROTTLED_NUMBER = "+12025550105";
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private Lifecycle() {}

    /** The SMS once it has {@code status}; fails the test if it has not within half a minute. */
    static JsonNode awaitStatus(ServerUnderTest server, KeyPair key, String id, String status) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        JsonNode sms;
        do {
            sms = server.send(RawRequest.get("/v1/sms/" + id).key(key), SpecCheck.requestAndResponse()).responseJson();
            if (status.equals(sms.path("status").asText())) {
                return sms;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        return fail("SMS " + id + " did not become " + status + " within " + PATIENCE + "; it is " + sms);
    }
}
