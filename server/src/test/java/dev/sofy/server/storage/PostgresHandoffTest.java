package dev.sofy.server.storage;

import dev.sofy.server.config.Config;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The hand-off contract on a real PostgreSQL, started once for the class; each test gets a new database. */
final class PostgresHandoffTest extends HandoffContract {
    @RegisterExtension
    static final ContractDatabases.Postgres POSTGRES = new ContractDatabases.Postgres("handoff");

    @Override
    protected Config emptyDatabase() throws Exception {
        return POSTGRES.emptyDatabase();
    }
}
