package dev.sofy.server.claims;

import dev.sofy.server.threads.DaemonThreads;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import org.slf4j.Logger;

/**
 * One thread that claims due work from storage in batches and hands each item on, with at most
 * {@code maxInFlight} items handed on and not yet {@link #release() released}. With nothing due
 * it waits for a {@link #nudge()} or for {@code idlePoll}; a claim that fails is logged and tried
 * again after {@code idlePoll}. What was claimed stays claimed in storage until its lease ends,
 * so nothing is lost when the loop stops. While {@code yielding} holds, the loop pauses for
 * {@code yieldPause} after each claim, leaving the CPU to more urgent work.
 */
public final class ClaimLoop<T> implements AutoCloseable {
    private final int batch;
    private final Duration idlePoll;
    private final IntFunction<List<T>> claim;
    private final Consumer<T> handOn;
    private final Logger log;
    private final String failure;
    private final Semaphore inFlight;
    private final int maxInFlight;
    private final BooleanSupplier yielding;
    private final Duration yieldPause;
    private final Object nudges = new Object();
    private final Thread thread;
    private volatile boolean nudged;
    private volatile boolean running;

    /**
     * @param claim claims up to the given number of due items
     * @param handOn takes one claimed item; {@link #release()} must follow once it is done with
     * @param failure what the log says when a claim fails
     */
    public ClaimLoop(String name, int batch, int maxInFlight, Duration idlePoll, IntFunction<List<T>> claim,
                     Consumer<T> handOn, Logger log, String failure) {
        this(name, batch, maxInFlight, idlePoll, () -> false, Duration.ZERO, claim, handOn, log, failure);
    }

    /** @param yielding whether to pause for {@code yieldPause} after each claim */
    public ClaimLoop(String name, int batch, int maxInFlight, Duration idlePoll, BooleanSupplier yielding,
                     Duration yieldPause, IntFunction<List<T>> claim, Consumer<T> handOn, Logger log, String failure) {
        this.yielding = yielding;
        this.yieldPause = yieldPause;
        this.batch = batch;
        this.idlePoll = idlePoll;
        this.claim = claim;
        this.handOn = handOn;
        this.log = log;
        this.failure = failure;
        this.maxInFlight = maxInFlight;
        this.inFlight = new Semaphore(maxInFlight);
        this.thread = DaemonThreads.named(name).newThread(this::run);
    }

    public void start() {
        running = true;
        thread.start();
    }

    /** Work is waiting: claim now rather than at the next poll. */
    public void nudge() {
        nudged = true;
        synchronized (nudges) {
            nudges.notifyAll();
        }
    }

    /** An item handed on is done with: one more may be claimed. */
    public void release() {
        inFlight.release();
    }

    /** Items handed on and not yet released. */
    public int inFlight() {
        return maxInFlight - inFlight.availablePermits();
    }

    private void run() {
        while (running) {
            try {
                int wanted = Math.min(batch, Math.max(1, inFlight.availablePermits()));
                inFlight.acquire(wanted);
                List<T> claimed = List.of();
                try {
                    claimed = claim.apply(wanted);
                } finally {
                    inFlight.release(wanted - claimed.size());
                }
                claimed.forEach(handOn);
                if (claimed.size() < wanted) {
                    awaitNudge();
                }
                if (yielding.getAsBoolean()) {
                    Thread.sleep(yieldPause.toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.warn(failure, e);
                sleepQuietly(idlePoll);
            }
        }
    }

    private void awaitNudge() throws InterruptedException {
        synchronized (nudges) {
            if (!nudged) {
                nudges.wait(idlePoll.toMillis());
            }
            nudged = false;
        }
    }

    private static void sleepQuietly(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops claiming; what was handed on goes on. */
    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
