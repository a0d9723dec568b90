package dev.sofy.conformance;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sofy.client.model.Sms;
import dev.sofy.client.model.SmsStatus;
import dev.sofy.testing.KeyPair;
import java.time.Duration;
import java.util.Set;

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
    /**
     * An ordinary number: delivered. Like the test numbers, it is in NANPA's fictional 555-01xx
     * range, valid for libphonenumber, and not French, so marketing SMS to it are never held for
     * a sending window whatever the time.
     */
    static final String ORDINARY_NUMBER = "+12025550123";
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    /** The statuses an SMS never leaves. */
    static final Set<SmsStatus> FINAL = Set.of(SmsStatus.DELIVERED, SmsStatus.UNDELIVERED, SmsStatus.ERRORED,
            SmsStatus.CANCELED);

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

    /**
     * The SMS once it has a final status, read through the generated client; fails the test if it
     * has none within {@link Eventually#PATIENCE}.
     */
    static Sms awaitFinalStatus(GeneratedClient client, String id) throws Exception {
        return Eventually.await("SMS " + id + " reaching a final status", () -> client.sms().getSms(id),
                sms -> FINAL.contains(sms.getStatus()));
    }
}
