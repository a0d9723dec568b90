package dev.sofy.server.storage;

import dev.sofy.server.config.Config;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The retention contract on a real PostgreSQL, started once for the class; each test gets a new database. */
final class PostgresRetentionTest extends RetentionContract {
    @RegisterExtension
    static final ContractDatabases.Postgres POSTGRES = new ContractDatabases.Postgres("retention");

    @Override
    protected Config emptyDatabase() throws Exception {
        return POSTGRES.emptyDatabase();
    }
}
