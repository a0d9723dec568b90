package dev.sofy.server.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RateLimiterTest {
    private final RateLimiter limiter = new RateLimiter();

    @Test
    void aKeyMayBurstOneSecondOfRequestsThenIsRefused() {
        for (int i = 0; i < 5; i++) {
            assertTrue(limiter.acquire("k", Kind.SEND, 5).allowed(), "request " + i);
        }
        assertFalse(limiter.acquire("k", Kind.SEND, 5).allowed());
    }

    @Test
    void remainingCountsDown() {
        assertEquals(2, limiter.acquire("k", Kind.SEND, 3).remaining());
        assertEquals(1, limiter.acquire("k", Kind.SEND, 3).remaining());
        assertEquals(0, limiter.acquire("k", Kind.SEND, 3).remaining());
    }

    @Test
    void aRefusalSaysToRetryAfterAtLeastOneSecond() {
        limiter.acquire("k", Kind.SEND, 1);
        Decision refused = limiter.acquire("k", Kind.SEND, 1);
        assertFalse(refused.allowed());
        assertEquals(0, refused.remaining());
        assertEquals(1, refused.resetSeconds());
    }

    @Test
    void sendingAndReadingHaveSeparateBuckets() {
        limiter.acquire("k", Kind.SEND, 1);
        assertFalse(limiter.acquire("k", Kind.SEND, 1).allowed());
        assertTrue(limiter.acquire("k", Kind.READ, 1).allowed());
    }

    @Test
    void keysHaveSeparateBuckets() {
        limiter.acquire("a", Kind.SEND, 1);
        assertTrue(limiter.acquire("b", Kind.SEND, 1).allowed());
    }

    @Test
    void theLimitIsReportedAsGiven() {
        assertEquals(42, limiter.acquire("k", Kind.READ, 42).limit());
    }
}
