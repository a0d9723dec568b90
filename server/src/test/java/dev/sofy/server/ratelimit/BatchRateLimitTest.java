package dev.sofy.server.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bucket4j.TimeMeter;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Batches take as many units as they have SMS, on a clock of the test's own: a batch larger than
 * the burst is taken from a full bucket only, and the debt it leaves holds later requests back.
 */
class BatchRateLimitTest {
    private static final int RATE = 100;

    /** A clock that moves only when told. */
    private static final class ManualTime implements TimeMeter {
        private long nanos;

        @Override
        public long currentTimeNanos() {
            return nanos;
        }

        @Override
        public boolean isWallClockBased() {
            return false;
        }

        void pass(Duration duration) {
            nanos += duration.toNanos();
        }
    }

    private final ManualTime time = new ManualTime();
    private final RateLimiter limiter = new RateLimiter(new CompositeMeterRegistry(), time);

    /** A batch as the server takes it: one unit with its request, the rest once it is read. */
    private Decision batch(int size) {
        Decision request = limiter.acquire("k", Kind.SEND, RATE);
        return request.allowed() ? limiter.acquireRest("k", Kind.SEND, RATE, size) : request;
    }

    @Test
    void aBatchOfTheBurstIsTakenWhenThatManyAreLeft() {
        assertTrue(batch(RATE).allowed());
    }

    @Test
    void aBatchOfTheBurstLeavesNothing() {
        assertEquals(0, batch(RATE).remaining());
    }

    @Test
    void aBatchIsRefusedWhenFewerAreLeftThanItHasSms() {
        batch(60);

        assertFalse(batch(60).allowed());
    }

    @Test
    void aRefusedBatchTakesNothing() {
        batch(60);
        batch(60);

        assertEquals(39, limiter.acquire("k", Kind.SEND, RATE).remaining());
    }

    @Test
    void aRefusedBatchIsToldWhenItsSmsWillBeThere() {
        batch(60);

        assertEquals(1, batch(60).resetSeconds());
    }

    @Test
    void aBatchLargerThanTheBurstIsTakenFromAFullBucket() {
        assertTrue(batch(1_000).allowed());
    }

    @Test
    void aBatchLargerThanTheBurstIsRefusedUnlessTheBucketIsFull() {
        limiter.acquire("k", Kind.SEND, RATE);

        assertFalse(batch(1_000).allowed());
    }

    @Test
    void aLargeBatchIsToldToWaitUntilTheBucketIsFull() {
        batch(RATE);
        time.pass(Duration.ofMillis(500));

        assertEquals(1, batch(1_000).resetSeconds());
    }

    @Test
    void theDebtOfALargeBatchLeavesNothingRemaining() {
        assertEquals(0, batch(1_000).remaining());
    }

    @Test
    void theDebtOfALargeBatchIsPaidBackBeforeTheNextUnit() {
        assertEquals(10, batch(1_000).resetSeconds());
    }

    @Test
    void theRequestAfterALargeBatchWaitsForTheDebtToBePaidBack() {
        batch(1_000);

        Decision next = limiter.acquire("k", Kind.SEND, RATE);

        assertEquals(false, next.allowed());
        assertEquals(10, next.resetSeconds());
    }

    @Test
    void requestsGoAgainOnceTheDebtIsPaidBack() {
        batch(1_000);
        time.pass(Duration.ofMillis(9_010));

        assertTrue(limiter.acquire("k", Kind.SEND, RATE).allowed());
    }

    @Test
    void batchesSendNoFasterThanTheRateOverTime() {
        long sent = 0;
        for (int tick = 0; tick < 60_000; tick += 10) {
            if (batch(1_000).allowed()) {
                sent += 1_000;
            }
            time.pass(Duration.ofMillis(10));
        }

        // A minute at 100 a second, with the burst of the first second: the first batch's debt included.
        assertTrue(sent <= 60 * RATE + 1_000, sent + " SMS in a minute");
    }
}
