package dev.sofy.server.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.HexFormat;

/**
 * Token buckets (Bucket4j) per client address, for what a client may do without a key or with a
 * wrong one. An IPv6 address counts by its /64, which one subscriber usually holds whole, so that
 * walking through it gains nothing. Buckets of idle addresses go, and at most
 * {@value #MAX_ADDRESSES} are kept: a client spraying addresses evicts buckets rather than
 * growing the heap.
 */
public final class AddressLimiter {
    private static final int MAX_ADDRESSES = 100_000;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    /** Whether a request may go ahead and, when not, the whole seconds until it may. */
    public record Admission(boolean allowed, long retryAfterSeconds) {}

    private final int perSecond;
    private final int burst;
    private final Cache<String, Bucket> buckets;
    private final Counter refusals;

    /** A limiter whose refusals are not counted. */
    public AddressLimiter(int perSecond, int burst) {
        this(perSecond, burst, RateLimiter.refusals(new CompositeMeterRegistry(), "none"));
    }

    /** @param refusals counts the requests refused ({@link RateLimiter#refusals}) */
    public AddressLimiter(int perSecond, int burst, Counter refusals) {
        this.refusals = refusals;
        if (perSecond < 1 || burst < 1) {
            throw new IllegalArgumentException("a rate and a burst are at least 1");
        }
        this.perSecond = perSecond;
        this.burst = burst;
        // A bucket refills whole within burst / rate seconds; after that, a new one is the same.
        Duration refilled = Duration.ofNanos(Math.max(1, (long) burst * NANOS_PER_SECOND / perSecond));
        this.buckets = Caffeine.newBuilder()
                .expireAfterAccess(refilled.plusSeconds(1))
                .maximumSize(MAX_ADDRESSES)
                .build();
    }

    public int perSecond() {
        return perSecond;
    }

    public int burst() {
        return burst;
    }

    /** Takes one unit for the client at {@code address}, an IP literal as a socket reports it. */
    public Admission acquire(String address) {
        Bucket bucket = buckets.get(client(address), key -> Bucket.builder()
                .addLimit(limit -> limit.capacity(burst).refillGreedy(perSecond, Duration.ofSeconds(1)))
                .build());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            return new Admission(true, 0);
        }
        refusals.increment();
        return new Admission(false, Math.max(1, -Math.floorDiv(-probe.getNanosToWaitForRefill(), NANOS_PER_SECOND)));
    }

    /** The key a client's requests count under: the IPv4 address, or the IPv6 address's /64. */
    public static String client(String address) {
        String literal = address.startsWith("[") && address.endsWith("]")
                ? address.substring(1, address.length() - 1)
                : address;
        if (!literal.contains(":")) {
            return literal;
        }
        try {
            // A literal with a colon is IPv6: no name lookup happens.
            InetAddress parsed = InetAddress.getByName(literal);
            if (parsed instanceof Inet6Address) {
                return HexFormat.of().formatHex(parsed.getAddress(), 0, 8) + "/64";
            }
            return parsed.getHostAddress();
        } catch (UnknownHostException notALiteral) {
            return literal;
        }
    }
}
