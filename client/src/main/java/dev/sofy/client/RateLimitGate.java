package dev.sofy.client;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The pause every worker of a bulk run honours before its next request: closed for a while when
 * the server says the key's quota is spent, open again when that time has passed. Shared by the
 * workers, since the quota is the key's and not one worker's.
 */
final class RateLimitGate {
    /** A {@link System#nanoTime()} instant; compared by difference, as nanoTime values must be. */
    private final AtomicLong closedUntil = new AtomicLong(System.nanoTime());

    /** Closes the gate for {@code pause} from now, unless it is already closed for longer. */
    void closeFor(Duration pause) {
        long until = System.nanoTime() + pause.toNanos();
        closedUntil.accumulateAndGet(until, (current, proposed) -> proposed - current > 0 ? proposed : current);
    }

    /** Nanoseconds until the gate opens; zero or less when it is open. */
    long nanosUntilOpen() {
        return closedUntil.get() - System.nanoTime();
    }

    /** Returns when the gate is open, sleeping meanwhile; another worker may close it for longer while it sleeps. */
    void awaitOpen() throws InterruptedException {
        for (long left = nanosUntilOpen(); left > 0; left = nanosUntilOpen()) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }
}
