package dev.sofy.server.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Token buckets (Bucket4j) a key and kind of request: a key may burst one second's worth of
 * requests, then gets its rate. Buckets live in this process, or, when several nodes share one
 * PostgreSQL, in {@link SharedBuckets} there, so that a key's limits hold across the nodes. A node
 * takes a shared bucket's tokens in small batches into a {@link LocalReserve}, whose javadoc gives
 * the error that allows: a batch (1/100 of the rate) per node, held at most 100 ms.
 */
public final class RateLimiter {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    /** Buckets that several nodes share: Bucket4j's proxies of buckets kept in a database. */
    public interface SharedBuckets {
        /** The bucket named {@code name}, made with {@code configuration} where it does not exist yet. */
        Bucket bucket(String name, Supplier<BucketConfiguration> configuration);
    }

    private record BucketKey(String keyId, Kind kind, int perSecond) {}

    /** A key's bucket, and when it is shared, this node's reserve of its tokens. */
    private record Limit(Bucket bucket, Optional<LocalReserve> reserve) {
        ConsumptionProbe tryConsumeOne() {
            return reserve.map(LocalReserve::tryConsumeOne).orElseGet(() -> bucket.tryConsumeAndReturnRemaining(1));
        }

        /** Takes up to {@code wanted} tokens from the reserve; returns how many it took. */
        long drain(long wanted) {
            return reserve.map(r -> r.drain(wanted)).orElse(0L);
        }
    }

    /** A changed limit is a new bucket key; idle buckets go after a while, so memory stays bounded. */
    private final Cache<BucketKey, Limit> buckets = Caffeine.newBuilder()
            .expireAfterAccess(Duration.ofMinutes(10))
            .maximumSize(1_000_000)
            .build();

    private final TimeMeter time;
    private final Optional<SharedBuckets> shared;

    /** Refusals by kind of request, made once: the hot path only increments. */
    private final Counter[] refusals = new Counter[Kind.values().length];

    /** A limiter whose refusals are not counted. */
    public RateLimiter() {
        this(new CompositeMeterRegistry());
    }

    /** A limiter that counts its refusals in {@code metrics}, by kind of request. */
    public RateLimiter(MeterRegistry metrics) {
        this(metrics, TimeMeter.SYSTEM_NANOTIME, Optional.empty());
    }

    /** A limiter whose buckets are {@code shared} with the other nodes of the database. */
    public RateLimiter(MeterRegistry metrics, SharedBuckets shared) {
        this(metrics, TimeMeter.SYSTEM_NANOTIME, Optional.of(shared));
    }

    /** A limiter whose buckets refill by {@code time} (a test's own clock). */
    RateLimiter(MeterRegistry metrics, TimeMeter time) {
        this(metrics, time, Optional.empty());
    }

    private RateLimiter(MeterRegistry metrics, TimeMeter time, Optional<SharedBuckets> shared) {
        this.time = time;
        this.shared = shared;
        for (Kind kind : Kind.values()) {
            refusals[kind.ordinal()] = refusals(metrics, kind.name().toLowerCase(Locale.ROOT));
        }
    }

    /**
     * {@code sofy_rate_limit_refusals_total} for one {@code limit}: {@code send} and {@code read}
     * (per key), {@code failed_authentication} and {@code redirect} (per client address).
     */
    public static Counter refusals(MeterRegistry metrics, String limit) {
        return Counter.builder("sofy.rate.limit.refusals")
                .description("Requests refused by a rate limit, by the limit")
                .tag("limit", limit)
                .register(metrics);
    }

    private Limit limitOf(String keyId, Kind kind, int perSecond) {
        return buckets.get(new BucketKey(keyId, kind, perSecond), key -> shared
                .map(buckets -> buckets.bucket(keyId + ":" + kind.name().toLowerCase(Locale.ROOT) + ":" + perSecond,
                        () -> BucketConfiguration.builder().addLimit(limit(perSecond)).build()))
                .map(bucket -> new Limit(bucket, Optional.of(new LocalReserve(bucket, perSecond, time))))
                .orElseGet(() -> new Limit(
                        Bucket.builder().withCustomTimePrecision(time).addLimit(limit(perSecond)).build(), Optional.empty())));
    }

    private static Bandwidth limit(int perSecond) {
        return Bandwidth.builder().capacity(perSecond).refillGreedy(perSecond, Duration.ofSeconds(1)).build();
    }

    /**
     * Runs {@code decide}; with shared buckets, a database that fails to answer refuses the request
     * as unavailable (a 503), rather than let it through unlimited.
     */
    private Decision deciding(Supplier<Decision> decide) {
        if (shared.isEmpty()) {
            return decide.get();
        }
        try {
            return decide.get();
        } catch (RuntimeException e) {
            throw new RateLimitUnavailableException(e);
        }
    }

    /**
     * Takes the rest of {@code units} taken at once (the SMS of a batch), of which the request took
     * one already ({@link #acquire(String, Kind, int)}). Up to the burst, they are taken when that
     * many are left. More than the burst are taken only from a full bucket, which goes into debt for
     * the rest: later requests wait until it is paid back, so that the rate over time is never
     * exceeded. When refused, the request's unit is given back, and the decision says how long
     * until all the units can be taken. Units this node holds in its reserve of a shared bucket
     * count as taken from it: they are spent first, and a refusal gives them back to the bucket.
     */
    public Decision acquireRest(String keyId, Kind kind, int perSecond, long units) {
        return deciding(() -> takeRest(keyId, kind, perSecond, units));
    }

    private Decision takeRest(String keyId, Kind kind, int perSecond, long units) {
        Limit limit = limitOf(keyId, kind, perSecond);
        Bucket bucket = limit.bucket();
        long rest = units - 1;
        if (rest <= 0) {
            return standing(bucket, kind, perSecond);
        }
        if (units <= perSecond) {
            long reserved = limit.drain(rest);
            if (reserved == rest || bucket.tryConsume(rest - reserved)) {
                return standing(bucket, kind, perSecond);
            }
            return refused(bucket, kind, perSecond, units, reserved);
        }
        // Taking the rest of the burst atomically tells that the bucket was full; beyond it is debt.
        long reserved = limit.drain(perSecond - 1L);
        if (reserved == perSecond - 1L || bucket.tryConsume(perSecond - 1L - reserved)) {
            bucket.consumeIgnoringRateLimits(units - perSecond);
            return standing(bucket, kind, perSecond);
        }
        return refused(bucket, kind, perSecond, perSecond, reserved);
    }

    /** Gives back the request's unit and the {@code reserved} units it took from the node's reserve. */
    private Decision refused(Bucket bucket, Kind kind, int perSecond, long wanted, long reserved) {
        bucket.addTokens(1 + reserved);
        refusals[kind.ordinal()].increment();
        return new Decision(false, kind, perSecond, 0,
                seconds(bucket.estimateAbilityToConsume(wanted).getNanosToWaitForRefill()));
    }

    /** What is left once a request is allowed: none while in debt, and when the next unit comes back. */
    private static Decision standing(Bucket bucket, Kind kind, int perSecond) {
        long available = bucket.getAvailableTokens();
        if (available >= perSecond) {
            return new Decision(true, kind, perSecond, available, 0);
        }
        return new Decision(true, kind, perSecond, Math.max(0, available),
                seconds(bucket.estimateAbilityToConsume(1).getNanosToWaitForRefill()));
    }

    /** Whole seconds, rounded up, at least one. */
    private static long seconds(long nanos) {
        return Math.max(1, ceilDiv(nanos, NANOS_PER_SECOND));
    }

    public Decision acquire(String keyId, Kind kind, int perSecond) {
        return deciding(() -> take(keyId, kind, perSecond));
    }

    private Decision take(String keyId, Kind kind, int perSecond) {
        ConsumptionProbe probe = limitOf(keyId, kind, perSecond).tryConsumeOne();
        if (probe.isConsumed()) {
            // A unit comes back within 1/rate seconds, which whole seconds round up to 1.
            long reset = probe.getRemainingTokens() >= perSecond ? 0 : 1;
            return new Decision(true, kind, perSecond, probe.getRemainingTokens(), reset);
        }
        refusals[kind.ordinal()].increment();
        long wait = Math.max(1, ceilDiv(probe.getNanosToWaitForRefill(), NANOS_PER_SECOND));
        return new Decision(false, kind, perSecond, 0, wait);
    }

    private static long ceilDiv(long dividend, long divisor) {
        return -Math.floorDiv(-dividend, divisor);
    }
}
