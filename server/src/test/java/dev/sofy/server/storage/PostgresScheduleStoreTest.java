package dev.sofy.server.storage;

import dev.sofy.server.config.Config;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The schedule contract on a real PostgreSQL, started once for the class; each test gets a new database. */
final class PostgresScheduleStoreTest extends ScheduleStoreContract {
    @RegisterExtension
    static final ContractDatabases.Postgres POSTGRES = new ContractDatabases.Postgres("schedule");

    @Override
    protected Config emptyDatabase() throws Exception {
        return POSTGRES.emptyDatabase();
    }
}
