package dev.sofy.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sofy.server.config.Config;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The webhook outbox contract on a real PostgreSQL, started once for the class; each test gets a new database. */
final class PostgresWebhookOutboxTest extends WebhookOutboxContract {
    @RegisterExtension
    static final ContractDatabases.Postgres POSTGRES = new ContractDatabases.Postgres("outbox");

    @Override
    protected Config emptyDatabase() throws Exception {
        return POSTGRES.emptyDatabase();
    }

    @Test
    void theOutboxIsIndexedByEndpointAsH2DoesByItself() {
        List<String> definitions = database.jdbi().withHandle(handle -> handle.createQuery(
                        "SELECT indexdef FROM pg_indexes WHERE tablename = 'webhook_delivery' AND indexdef LIKE '%(endpoint_id, id)'")
                .mapTo(String.class).list());

        assertEquals(1, definitions.size(), definitions.toString());
    }
}
