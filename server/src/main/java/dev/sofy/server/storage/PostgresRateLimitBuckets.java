package dev.sofy.server.storage;

import dev.sofy.server.ratelimit.RateLimiter;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * Rate-limit buckets in PostgreSQL's {@code rate_limit_bucket}, shared by every node of the
 * database: Bucket4j reads and writes a bucket's row under {@code SELECT ... FOR UPDATE}, so
 * that the nodes take from one bucket a key's rate, not one each.
 */
public final class PostgresRateLimitBuckets implements RateLimiter.SharedBuckets {
    private final ProxyManager<String> buckets;

    public PostgresRateLimitBuckets(DataSource dataSource) {
        this.buckets = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
                .primaryKeyMapper(PrimaryKeyMapper.STRING)
                .table("rate_limit_bucket")
                .build();
    }

    /** Whether {@code database} is PostgreSQL, where nodes may share it. */
    public static boolean supports(Database database) {
        return database.jdbi().withHandle(Database::isPostgres);
    }

    @Override
    public Bucket bucket(String name, Supplier<BucketConfiguration> configuration) {
        return buckets.builder().build(name, configuration);
    }
}
