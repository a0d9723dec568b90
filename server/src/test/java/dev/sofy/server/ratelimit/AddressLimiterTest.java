package dev.sofy.server.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AddressLimiterTest {

    @Test
    void anAddressMayBurstThenIsRefused() {
        var limiter = new AddressLimiter(1, 3);
        for (int i = 0; i < 3; i++) {
            assertTrue(limiter.acquire("192.0.2.1").allowed(), "request " + i);
        }
        assertFalse(limiter.acquire("192.0.2.1").allowed());
    }

    @Test
    void aRefusalSaysToRetryAfterAtLeastOneSecond() {
        var limiter = new AddressLimiter(1, 1);
        limiter.acquire("192.0.2.1");
        AddressLimiter.Admission refused = limiter.acquire("192.0.2.1");
        assertFalse(refused.allowed());
        assertEquals(1, refused.retryAfterSeconds());
    }

    @Test
    void addressesHaveSeparateBuckets() {
        var limiter = new AddressLimiter(1, 1);
        limiter.acquire("192.0.2.1");
        assertTrue(limiter.acquire("192.0.2.2").allowed());
    }

    @Test
    void ipv6AddressesOfOneSlash64ShareABucket() {
        var limiter = new AddressLimiter(1, 1);
        limiter.acquire("[2001:db8:1:2::1]");
        assertFalse(limiter.acquire("2001:db8:1:2:ffff::9").allowed());
        assertTrue(limiter.acquire("2001:db8:1:3::1").allowed());
    }

    @Test
    void anIpv4MappedAddressCountsAsItsIpv4Address() {
        assertEquals("192.0.2.7", AddressLimiter.client("::ffff:192.0.2.7"));
    }
}
