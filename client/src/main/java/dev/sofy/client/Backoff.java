package dev.sofy.client;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with jitter: the n-th wait is drawn between half and all of first × 2^(n-1), capped at max. */
final class Backoff {
    private final Duration first;
    private final Duration max;

    Backoff(Duration first, Duration max) {
        this.first = first;
        this.max = max;
    }

    /** The wait after the {@code failures}-th failed attempt (1 for the first). */
    Duration after(int failures) {
        int doublings = Math.max(0, failures - 1);
        long firstNanos = first.toNanos();
        long maxNanos = max.toNanos();
        long ceiling = doublings >= 62 || firstNanos > maxNanos >> doublings ? maxNanos : firstNanos << doublings;
        return Duration.ofNanos(ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1));
    }

    /** {@code wait} plus up to a tenth more, so that workers told the same wait do not all come back at once. */
    static Duration spread(Duration wait) {
        return wait.plusNanos(ThreadLocalRandom.current().nextLong(wait.toNanos() / 10 + 1));
    }
}
