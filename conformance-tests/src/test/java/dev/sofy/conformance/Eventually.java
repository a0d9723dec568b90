package dev.sofy.conformance;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

/** Polling with a deadline: what the server does after it answered (dispatch, receipts, webhooks) takes a while. */
final class Eventually {
    /** Far more than anything here takes on the suite's settings, so that a slow machine does not fail a test. */
    static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final Duration INTERVAL = Duration.ofMillis(50);

    private Eventually() {}

    /**
     * The first value of {@code probe} that {@code done} accepts, probed every 50 ms; fails the
     * test, showing the last value, if none did within {@link #PATIENCE}.
     */
    static <T> T await(String what, Callable<T> probe, Predicate<T> done) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        T value;
        do {
            value = probe.call();
            if (done.test(value)) {
                return value;
            }
            Thread.sleep(INTERVAL.toMillis());
        } while (System.nanoTime() < deadline);
        return fail(what + " did not happen within " + PATIENCE + "; last seen: " + value);
    }
}
