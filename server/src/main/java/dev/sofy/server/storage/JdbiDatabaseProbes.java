package dev.sofy.server.storage;

import dev.sofy.server.health.DatabaseProbes;
import org.jdbi.v3.core.Jdbi;

/** Readiness's questions to the database. */
public final class JdbiDatabaseProbes implements DatabaseProbes {
    private static final int QUERY_TIMEOUT_SECONDS = 1;
    private final Jdbi jdbi;

    public JdbiDatabaseProbes(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public void ping() {
        jdbi.useHandle(handle -> handle.createQuery("SELECT 1")
                .setQueryTimeout(QUERY_TIMEOUT_SECONDS).mapTo(Integer.class).one());
    }

    /**
     * Reads the undelivered events through the prefix of the webhook_delivery_due index
     * (delivered_at, failed_at, ...), and stops at the cap rather than counting a huge backlog.
     */
    @Override
    public long outboxBacklog(long cap) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT COUNT(*) FROM (
                            SELECT 1 FROM webhook_delivery WHERE delivered_at IS NULL AND failed_at IS NULL LIMIT :cap
                        ) waiting""")
                .bind("cap", cap)
                .setQueryTimeout(QUERY_TIMEOUT_SECONDS)
                .mapTo(Long.class)
                .one());
    }
}
