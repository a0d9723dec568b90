package dev.sofy.conformance;

import static dev.sofy.conformance.Answers.assertStatus;
import static dev.sofy.conformance.Answers.mediaType;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sofy.testing.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A flood of wrong key pairs from one address is refused with 429 and Retry-After, while a
 * correct pair from the same address is still served. The default limit is 20 failures a second
 * after a burst of 40 (SOFY_AUTH_FAILURE_RATE, SOFY_AUTH_FAILURE_BURST), so {@value #FLOOD} failures
 * sent one after another within about a second must meet a 429 on the in-process server. A remote
 * server may have a higher limit, or be too far away for the suite to fail that fast: with no 429
 * the test is skipped there, saying at what pace it failed. The flood is checked against the spec
 * once it is over, so that checking does not slow it down.
 *
 * <p>The other tests of the suite send fewer than ten wrong pairs in all, far from the burst. This
 * one takes the address's allowance, so it ends by waiting until the default burst is back.
 */
@ExtendWith(ConformanceExtension.class)
final class FailedAuthenticationLimitTest {
    private static final int FLOOD = 200;
    /** The default burst at the default rate: 40 / 20 per second. */
    private static final Duration DEFAULT_REFILL = Duration.ofSeconds(2);

    private final ServerUnderTest server;

    FailedAuthenticationLimitTest(ServerUnderTest server) {
        this.server = server;
    }

    @Test
    void aFloodOfWrongKeyPairsIsRefusedWith429WhileACorrectPairIsStillServed() throws InterruptedException {
        // An id of its own, so that the server's log shows the flood apart from the suite's key.
        KeyPair wrong = new KeyPair("conformance-flood-" + Answers.unusedSmsId(), server.key().secret());
        RawRequest read = RawRequest.get("/v1/sms/" + Answers.unusedSmsId()).key(wrong);
        long start = System.nanoTime();
        List<Exchange> flood = new ArrayList<>();
        Exchange refused = null;
        while (refused == null && flood.size() < FLOOD) {
            Exchange exchange = server.sendUnchecked(read);
            flood.add(exchange);
            if (exchange.status() == 429) {
                refused = exchange;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        int failures = flood.size() - (refused == null ? 0 : 1);
        for (Exchange exchange : flood) {
            server.assertConforms(exchange);
            if (exchange != refused) {
                assertStatus(401, exchange);
            }
        }
        if (refused == null) {
            String pace = failures + " failed authentications in " + String.format("%.2f", seconds) + " s met no 429";
            assertFalse(server.inProcess(), pace + " on a server with the default limit");
            assumeTrue(false, pace + ": the server's limit is higher, or the suite cannot fail fast enough against it");
        }

        try {
            assertEquals("application/problem+json", mediaType(refused));
            assertEquals(429, refused.responseJson().path("status").asInt(), refused::describe);
            long retryAfter = Long.parseLong(refused.responseHeader("Retry-After").orElseThrow());
            assertTrue(retryAfter >= 1, refused::describe);
            // The quota headers describe a key; this refusal is of an address.
            assertFalse(refused.responseHeader("x-ratelimit-limit").isPresent(), refused::describe);

            Exchange served = server.send(RawRequest.get("/v1/sms?limit=1").key(server.key()),
                    SpecCheck.requestAndResponse());
            assertStatus(200, served);
        } finally {
            long retryAfter = refused.responseHeader("Retry-After").map(Long::parseLong).orElse(1L);
            Thread.sleep(Duration.ofSeconds(retryAfter).plus(DEFAULT_REFILL).toMillis());
        }
        assertStatus(401, server.send(read, SpecCheck.requestAndResponse()));
    }
}
