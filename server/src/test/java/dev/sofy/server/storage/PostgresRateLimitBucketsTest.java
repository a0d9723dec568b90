package dev.sofy.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sofy.server.config.Config;
import dev.sofy.server.ratelimit.Decision;
import dev.sofy.server.ratelimit.Kind;
import dev.sofy.server.ratelimit.RateLimitUnavailableException;
import dev.sofy.server.ratelimit.RateLimiter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes' limiters, each with its own pool, on one real PostgreSQL: a key's limit holds for
 * both together, although each node takes the shared tokens in batches of 1/100 of the rate.
 */
final class PostgresRateLimitBucketsTest {
    @RegisterExtension
    static final ContractDatabases.Postgres POSTGRES = new ContractDatabases.Postgres("rate_limits");

    /** One a second: what one node took is not back before the other node asks. */
    private static final int PER_SECOND = 1;

    private final List<Database> databases = new ArrayList<>();
    private Config config;

    @BeforeEach
    void createDatabase() throws Exception {
        config = POSTGRES.emptyDatabase();
    }

    @AfterEach
    void closeDatabases() {
        databases.forEach(Database::close);
    }

    private Database open(Config of) {
        Database database = Database.open(of);
        databases.add(database);
        return database;
    }

    private RateLimiter node() {
        return new RateLimiter(new SimpleMeterRegistry(), new PostgresRateLimitBuckets(open(config).dataSource()));
    }

    @Test
    void whatOneNodeTookOfAKeysBurstIsGoneForTheOther() {
        RateLimiter first = node();
        RateLimiter second = node();
        for (int i = 0; i < PER_SECOND; i++) {
            assertTrue(first.acquire("key", Kind.SEND, PER_SECOND).allowed(), "request " + i);
        }

        assertFalse(second.acquire("key", Kind.SEND, PER_SECOND).allowed());
    }

    @Test
    void aBatchOnOneNodeLeavesTheSharedBucketInDebtForTheOther() {
        RateLimiter first = node();
        RateLimiter second = node();
        assertTrue(first.acquire("key", Kind.SEND, PER_SECOND).allowed());
        assertTrue(first.acquireRest("key", Kind.SEND, PER_SECOND, 3).allowed());

        assertFalse(second.acquire("key", Kind.SEND, PER_SECOND).allowed());
    }

    @Test
    void otherKeysAndKindsHaveBucketsOfTheirOwn() {
        RateLimiter first = node();
        RateLimiter second = node();
        for (int i = 0; i < PER_SECOND; i++) {
            first.acquire("key", Kind.SEND, PER_SECOND);
        }

        assertTrue(second.acquire("key", Kind.READ, PER_SECOND).allowed());
        assertTrue(second.acquire("other-key", Kind.SEND, PER_SECOND).allowed());
    }

    @Test
    void twoNodesHammeringOneKeyTogetherGetItsRateWithinTenPercentPlusOneBurst() throws Exception {
        int perSecond = 500;
        List<RateLimiter> nodes = List.of(node(), node());
        long started = System.nanoTime();
        long allowed = hammer(nodes, perSecond, 3, 3_000);
        double seconds = (System.nanoTime() - started) / 1e9;

        double expected = perSecond + perSecond * seconds;
        assertTrue(Math.abs(allowed - expected) <= 0.1 * perSecond * seconds,
                allowed + " allowed in " + seconds + " s; expected " + expected + " (the burst and the rate) within 10 % of the rate");
    }

    /** Requests on every node, {@code threads} threads each, for {@code millis}; returns how many were allowed. */
    private static long hammer(List<RateLimiter> nodes, int perSecond, int threads, long millis) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(nodes.size() * threads);
        try {
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            List<Future<Long>> counts = new ArrayList<>();
            for (RateLimiter node : nodes) {
                for (int t = 0; t < threads; t++) {
                    counts.add(pool.submit(() -> {
                        long allowed = 0;
                        while (System.nanoTime() < end) {
                            if (node.acquire("key", Kind.SEND, perSecond).allowed()) {
                                allowed++;
                            }
                        }
                        return allowed;
                    }));
                }
            }
            long allowed = 0;
            for (Future<Long> count : counts) {
                allowed += count.get();
            }
            return allowed;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anEmptySharedBucketSaysToRetryAfterAsLongAsABucketInMemory() {
        RateLimiter inMemory = new RateLimiter();
        RateLimiter first = node();
        RateLimiter second = node();
        for (int i = 0; i < PER_SECOND; i++) {
            inMemory.acquire("key", Kind.SEND, PER_SECOND);
            first.acquire("key", Kind.SEND, PER_SECOND);
        }

        assertRefusedForAsLongAs(inMemory, second, PER_SECOND);
    }

    /** The next request on {@code node} is refused, with the Retry-After of the next one on {@code inMemory}. */
    private static void assertRefusedForAsLongAs(RateLimiter inMemory, RateLimiter node, int perSecond) {
        Decision expected = inMemory.acquire("key", Kind.SEND, perSecond);
        Decision refused = node.acquire("key", Kind.SEND, perSecond);
        assertEquals(List.of(false, expected.resetSeconds()), List.of(refused.allowed(), refused.resetSeconds()));
    }

    @Test
    void aSharedBucketInDebtSaysToRetryAfterAsLongAsABucketInMemory() {
        int perSecond = 200;
        // 300 beyond the burst: the next unit is back in about 1.5 s, which rounds up to 2 either way.
        long units = perSecond + 300;
        RateLimiter inMemory = new RateLimiter();
        RateLimiter first = node();
        RateLimiter second = node();
        inMemory.acquire("key", Kind.SEND, perSecond);
        inMemory.acquireRest("key", Kind.SEND, perSecond, units);
        first.acquire("key", Kind.SEND, perSecond);
        first.acquireRest("key", Kind.SEND, perSecond, units);

        assertRefusedForAsLongAs(inMemory, second, perSecond);
    }

    @Test
    void aBatchLargerThanTheBurstCountsTheTokensItsNodeHoldsAsTaken() {
        int perSecond = 200;
        RateLimiter node = node();
        // The first request takes a batch of 2 from the full bucket: one spent, one in the reserve.
        node.acquire("key", Kind.SEND, perSecond);

        assertTrue(node.acquireRest("key", Kind.SEND, perSecond, 3L * perSecond).allowed());
    }

    @Test
    void aNodeWhoseReserveExpiredRefusesAsUnavailableWhenTheDatabaseIsDown() throws Exception {
        Database database = Database.open(config);
        var limiter = new RateLimiter(new SimpleMeterRegistry(), new PostgresRateLimitBuckets(database.dataSource()));
        // A batch of 10: one spent, 9 in the reserve, which expire within 100 ms.
        limiter.acquire("key", Kind.SEND, 1_000);
        database.close();
        Thread.sleep(200);

        assertThrows(RateLimitUnavailableException.class, () -> limiter.acquire("key", Kind.SEND, 1_000));
    }

    @Test
    void aDatabaseThatDoesNotAnswerRefusesTheRequestAsUnavailable() {
        Database database = Database.open(config);
        var limiter = new RateLimiter(new SimpleMeterRegistry(), new PostgresRateLimitBuckets(database.dataSource()));
        database.close();

        assertThrows(RateLimitUnavailableException.class, () -> limiter.acquire("key", Kind.SEND, PER_SECOND));
    }

    @Test
    void anH2DatabaseKeepsItsLimitsInTheNode(@TempDir Path directory) throws Exception {
        assertFalse(PostgresRateLimitBuckets.supports(open(ContractDatabases.emptyH2(directory))));
    }

    @Test
    void aPostgresDatabaseSharesItsLimits() {
        assertTrue(PostgresRateLimitBuckets.supports(open(config)));
    }
}
