package dev.sofy.server.storage;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sofy.server.config.Config;
import dev.sofy.server.ratelimit.Kind;
import dev.sofy.server.ratelimit.RateLimitUnavailableException;
import dev.sofy.server.ratelimit.RateLimiter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes' limiters, each with its own pool, on one real PostgreSQL: a key's limit holds for
 * both together.
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
