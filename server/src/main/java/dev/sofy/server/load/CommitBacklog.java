package dev.sofy.server.load;

import java.time.Duration;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * Whether new SMS keep queuing for their commit: the one writer is then the bottleneck, with or
 * without CPU to spare. One look is not enough, because a pause of the writer (compacting the H2
 * file, a garbage collection) lets a queue build for some tens of milliseconds under any load. So
 * there is a backlog only when two looks in a row, at least {@code interval} apart, both found
 * {@code from} SMS or more waiting. In between, the last answer holds.
 */
public final class CommitBacklog {
    private final IntSupplier waiting;
    private final int from;
    private final long intervalNanos;
    private final LongSupplier nanoTime;
    private long lookedAtNanos;
    private boolean lastLookFoundAQueue;
    private boolean backlog;

    /** @param waiting how many SMS wait for their commit now */
    public CommitBacklog(IntSupplier waiting, int from, Duration interval, LongSupplier nanoTime) {
        this.waiting = waiting;
        this.from = from;
        this.intervalNanos = interval.toNanos();
        this.nanoTime = nanoTime;
        this.lookedAtNanos = nanoTime.getAsLong() - intervalNanos;
    }

    public synchronized boolean backlogged() {
        long now = nanoTime.getAsLong();
        if (now - lookedAtNanos >= intervalNanos) {
            boolean queue = waiting.getAsInt() >= from;
            backlog = queue && lastLookFoundAQueue;
            lastLookFoundAQueue = queue;
            lookedAtNanos = now;
        }
        return backlog;
    }
}
