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
 * <p>A batch is about 1/100 of the rate ({@link #batchOf}), at least one token. One refill of a
 * reserve is in flight at a time: the threads of the node that want a token meanwhile wait for it
 * and then share the batch, so that many threads do not each take one. A reserve left unspent for
 * {@link #EXPIRY} goes back to the shared bucket (Bucket4j's {@code addTokens}, which a full bucket
 * ignores) before the next batch is taken.
 *
 * <p>The error this allows: each node may hold up to a batch of tokens taken ahead of its requests,
 * for at most {@link #EXPIRY}, plus the time of the round trip that gives them back. Meanwhile the other
 * nodes may be refused up to a batch per node sooner than with an exact bucket, and the holder spends
 * them up to {@code EXPIRY} late. Over time no more than the rate is taken, since every token spent
 * was taken from the shared bucket. A node that dies holding a reserve loses at most one batch of
 * the key's tokens. A reserve that outlives the database spends at most one batch without it.
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
