package dev.sofy.conformance;

import static dev.sofy.conformance.Answers.assertStatus;
import static dev.sofy.conformance.Answers.mediaType;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code /r/{code}} needs no key, so each client address has a limit of its own: 20 links a second
 * after a burst of 40 by default (SOFY_REDIRECT_RATE, SOFY_REDIRECT_BURST). {@value #FLOOD} lookups
 * of an unknown code sent one after another must meet a 429 with Retry-After on the in-process
 * server; a remote server with a higher limit, or too far away to be flooded that fast, skips the
 * test. The test ends by waiting until the default burst is back, for the link tests after it.
 */
@ExtendWith(ConformanceExtension.class)
final class RedirectLimitTest {
    private static final int FLOOD = 200;
    /** The default burst at the default rate: 40 / 20 per second. */
    private static final Duration DEFAULT_REFILL = Duration.ofSeconds(2);

    private final ServerUnderTest server;

    RedirectLimitTest(ServerUnderTest server) {
        this.server = server;
    }

    @Test
    void aFloodOfLookupsFromOneAddressIsRefusedWith429AndRetryAfter() throws InterruptedException {
        RawRequest lookup = RawRequest.get("/r/Unknown" + Long.toString(System.nanoTime(), 36).substring(0, 5));
        long start = System.nanoTime();
        List<Exchange> flood = new ArrayList<>();
        Exchange refused = null;
        while (refused == null && flood.size() < FLOOD) {
            Exchange exchange = server.sendUnchecked(lookup);
            flood.add(exchange);
            if (exchange.status() == 429) {
                refused = exchange;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        for (Exchange exchange : flood) {
            server.assertConforms(exchange);
            if (exchange != refused) {
                assertStatus(404, exchange);
            }
        }
        if (refused == null) {
            String pace = flood.size() + " lookups in " + String.format("%.2f", seconds) + " s met no 429";
            assertFalse(server.inProcess(), pace + " on a server with the default limit");
            assumeTrue(false, pace + ": the server's limit is higher, or the suite cannot send fast enough to it");
        }
        try {
            assertEquals("application/problem+json", mediaType(refused));
            assertTrue(Long.parseLong(refused.responseHeader("Retry-After").orElseThrow()) >= 1, refused::describe);
        } finally {
            long retryAfter = refused.responseHeader("Retry-After").map(Long::parseLong).orElse(1L);
            Thread.sleep(Duration.ofSeconds(retryAfter).plus(DEFAULT_REFILL).toMillis());
        }
        assertStatus(404, server.send(lookup, SpecCheck.requestAndResponse()));
    }
}
