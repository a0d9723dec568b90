package dev.sofy.server.delivery.smpp;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Spaces submissions evenly at a rate. Each caller books the next free slot on a timeline and
 * waits for it, so a late wake-up does not lower the rate; an idle pacer does not bank slots,
 * so it never bursts above the rate.
 */
final class SubmitPacer {
    private final long intervalNanos;
    private long nextSlot = System.nanoTime();

    SubmitPacer(int perSecond) {
        if (perSecond < 1) {
            throw new IllegalArgumentException("the rate is at least 1 per second");
        }
        this.intervalNanos = TimeUnit.SECONDS.toNanos(1) / perSecond;
    }

    void awaitSlot() throws InterruptedException {
        long slot;
        synchronized (this) {
            slot = Math.max(nextSlot, System.nanoTime());
            nextSlot = slot + intervalNanos;
        }
        long wait;
        while ((wait = slot - System.nanoTime()) > 0) {
            LockSupport.parkNanos(this, wait);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }
}
