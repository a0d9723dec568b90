package dev.sofy.server.claims;

import dev.sofy.server.threads.DaemonThreads;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.LockSupport;
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
 *
 * <p>Work may also come without a claim: a writer that {@link #reserve() reserved} room for an
 * item leases it in storage itself and {@link #handOver hands it over} once committed. The loop
 * hands such items on first, and claims from storage only when nudged, every {@code idlePoll},
 * or while its last claim came back full.
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
    private final Queue<T> handedOver = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean nudged;
    /** Whether the loop waits for an item to be released before it can claim. */
    private volatile boolean starved;
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
        nudged = true;
        thread.start();
    }

    /** Work is waiting in storage: claim now rather than at the next poll. */
    public void nudge() {
        nudged = true;
        LockSupport.unpark(thread);
    }

    /**
     * Room for one item that will be {@link #handOver handed over} rather than claimed: false when
     * the loop is not running or has {@code maxInFlight} items already.
     */
    public boolean reserve() {
        return running && inFlight.tryAcquire();
    }

    /** Gives back room {@link #reserve() reserved} for items that will not be handed over. */
    public void giveBack(int reserved) {
        inFlight.release(reserved);
        wakeIfStarved();
    }

    /** Items leased in storage to this loop, one {@link #reserve() reservation} each: handed on soon. */
    public void handOver(Collection<T> items) {
        handedOver.addAll(items);
        LockSupport.unpark(thread);
    }

    /** An item handed on is done with: one more may be claimed. */
    public void release() {
        inFlight.release();
        wakeIfStarved();
    }

    private void wakeIfStarved() {
        if (starved) {
            LockSupport.unpark(thread);
        }
    }

    /** Items handed on, or reserved for, and not yet released. */
    public int inFlight() {
        return maxInFlight - inFlight.availablePermits();
    }

    private void run() {
        long lastClaim = System.nanoTime() - idlePoll.toNanos();
        while (running) {
            try {
                for (T item; (item = handedOver.poll()) != null; ) {
                    handOn.accept(item);
                }
                boolean full = false;
                if (nudged || System.nanoTime() - lastClaim >= idlePoll.toNanos()) {
                    // Starved first, so that a release from now on wakes the loop.
                    starved = true;
                    int wanted = Math.min(batch, inFlight.availablePermits());
                    if (wanted > 0 && inFlight.tryAcquire(wanted)) {
                        starved = false;
                        nudged = false;
                        lastClaim = System.nanoTime();
                        full = claimAndHandOn(wanted);
                        if (yielding.getAsBoolean()) {
                            Thread.sleep(yieldPause.toMillis());
                        }
                    } else {
                        // Claim once an item is released.
                        nudged = true;
                    }
                }
                if (!full) {
                    awaitWork(lastClaim);
                }
                if (Thread.interrupted()) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.warn(failure, e);
                lastClaim = System.nanoTime();
                LockSupport.parkNanos(this, idlePoll.toNanos());
            }
        }
    }

    /** Claims up to {@code wanted}, for which room is reserved; whether the claim came back full. */
    private boolean claimAndHandOn(int wanted) {
        List<T> claimed = List.of();
        try {
            claimed = claim.apply(wanted);
        } finally {
            inFlight.release(wanted - claimed.size());
        }
        claimed.forEach(handOn);
        return claimed.size() == wanted;
    }

    /** Parks until the next poll, a nudge, a hand-over, or room for a starved claim. */
    private void awaitWork(long lastClaim) {
        if (!handedOver.isEmpty()) {
            return;
        }
        long park;
        if (starved) {
            park = idlePoll.toNanos();
        } else if (nudged) {
            return;
        } else {
            park = idlePoll.toNanos() - (System.nanoTime() - lastClaim);
        }
        if (park > 0) {
            LockSupport.parkNanos(this, park);
        }
    }

    /** Stops claiming; what was handed on goes on, and what was handed over stays leased in storage. */
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
