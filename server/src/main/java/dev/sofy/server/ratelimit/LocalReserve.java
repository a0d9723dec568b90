package dev.sofy.server.ratelimit;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.VerboseResult;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A node's reserve of one shared bucket's tokens: it takes them from the bucket (in the database)
 * in small batches, and spends them on its requests with no round trip. The shared part is
 * Bucket4j's alone; this only holds what Bucket4j gave.
 *
 * <p>A batch is 1/100 of the rate ({@link #batchOf}), at least one token, and no more than the
 * shared bucket has. One refill of a reserve is in flight at a time: the node's threads that want a
 * token meanwhile wait for it, then share the batch, so that threads do not each take one.
 *
 * <p>The error this allows, per node and key, N being the batch: up to N tokens are taken ahead of
 * the node's requests and held for at most {@link #EXPIRY} (100 ms), during which the other nodes
 * may be refused up to N tokens sooner than by an exact bucket. Tokens found expired, at the
 * node's next request for the key, go back to the shared bucket (Bucket4j's {@code addTokens},
 * which a full bucket ignores) before a new batch is taken; a node that stops asking, or dies,
 * loses at most N of the key's tokens, once. When the database stops answering, a node lets
 * through at most N - 1 requests from its reserve, within 100 ms, before it refuses them as
 * unavailable. No token is spent that was not taken from the shared bucket, so a key never
 * exceeds its rate over time.
 */
final class LocalReserve {
    /** How long tokens taken ahead may wait for a request of this node before they go back. */
    static final Duration EXPIRY = Duration.ofMillis(100);

    private static final int BATCHES_PER_SECOND = 100;

    private final Bucket shared;
    private final long batch;
    private final TimeMeter time;
    private final ReentrantLock lock = new ReentrantLock();

    // Guarded by lock.
    private long tokens;
    private long expiresAt;
    private long sharedRemaining;

    LocalReserve(Bucket shared, int perSecond, TimeMeter time) {
        this.shared = shared;
        this.batch = batchOf(perSecond);
        this.time = time;
    }

    /** The tokens taken from the shared bucket at once: 1/100 of a second's rate, at least one. */
    static long batchOf(int perSecond) {
        return Math.max(1, perSecond / BATCHES_PER_SECOND);
    }

    /**
     * Takes one token: from the reserve, or else a new batch from the shared bucket (as many of a
     * batch as it has, one at least). When the shared bucket has none, the probe is Bucket4j's
     * rejection, with the time until one token is back there.
     */
    ConsumptionProbe tryConsumeOne() {
        lock.lock();
        try {
            long now = time.currentTimeNanos();
            if (tokens > 0 && now < expiresAt) {
                tokens--;
                return ConsumptionProbe.consumed(sharedRemaining + tokens, 0);
            }
            giveBackExpired();
            VerboseResult<Long> taken = shared.asVerbose().tryConsumeAsMuchAsPossible(batch);
            long got = taken.getValue();
            sharedRemaining = taken.getDiagnostics().getAvailableTokens();
            if (got == 0) {
                long wait = taken.getState().calculateDelayNanosAfterWillBePossibleToConsume(1, taken.getOperationTimeNanos(), false);
                return ConsumptionProbe.rejected(sharedRemaining, wait, wait);
            }
            tokens = got - 1;
            expiresAt = time.currentTimeNanos() + EXPIRY.toNanos();
            return ConsumptionProbe.consumed(sharedRemaining + tokens, 0);
        } finally {
            lock.unlock();
        }
    }

    /** Takes up to {@code wanted} tokens of the reserve, if it has not expired; returns how many. */
    long drain(long wanted) {
        lock.lock();
        try {
            if (time.currentTimeNanos() >= expiresAt) {
                return 0;
            }
            long drawn = Math.min(tokens, wanted);
            tokens -= drawn;
            return drawn;
        } finally {
            lock.unlock();
        }
    }

    private void giveBackExpired() {
        if (tokens > 0) {
            long expired = tokens;
            tokens = 0;
            shared.addTokens(expired);
        }
    }
}
