package dev.sofy.server.metrics;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A value read from storage for gauges, such as a backlog. A scrape gets the last reading at once;
 * a reading older than {@code maxAge} starts a new one on {@code executor}, for the next scrape.
 * So a scrape never waits on the database, however often it comes, and the database is read at
 * most once per {@code maxAge}, and not at all when nobody scrapes. Read from the database rather
 * than counted in memory, the value is right across restarts and across the nodes sharing it.
 */
public final class PeriodicReading<T> {
    private static final Logger LOG = LoggerFactory.getLogger(PeriodicReading.class);

    private final String what;
    private final long maxAgeNanos;
    private final Supplier<T> read;
    private final Executor executor;
    private final LongSupplier nanoTime;
    private final AtomicBoolean reading = new AtomicBoolean();
    private volatile T value;
    private volatile long readAtNanos;
    private volatile boolean everRead;

    /**
     * @param what what is read, for the log when a reading fails
     * @param initial the value until the first reading completes
     */
    public PeriodicReading(String what, Duration maxAge, Supplier<T> read, T initial, Executor executor,
                           LongSupplier nanoTime) {
        this.what = what;
        this.maxAgeNanos = maxAge.toNanos();
        this.read = read;
        this.value = Objects.requireNonNull(initial);
        this.executor = executor;
        this.nanoTime = nanoTime;
    }

    /** The last reading; starts a new one in the background when it is older than the maximum age. */
    public T get() {
        if ((!everRead || nanoTime.getAsLong() - readAtNanos >= maxAgeNanos) && reading.compareAndSet(false, true)) {
            try {
                executor.execute(this::refresh);
            } catch (RejectedExecutionException stopping) {
                reading.set(false);
            }
        }
        return value;
    }

    private void refresh() {
        try {
            value = Objects.requireNonNull(read.get());
        } catch (RuntimeException e) {
            // The last value stays; readiness, not a metric, says that the database is down.
            LOG.debug("Could not read {} for the metrics: {}", what, e.toString());
        } finally {
            readAtNanos = nanoTime.getAsLong();
            everRead = true;
            reading.set(false);
        }
    }
}
