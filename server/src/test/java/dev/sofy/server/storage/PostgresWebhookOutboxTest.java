package dev.sofy.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sofy.server.config.Config;
import dev.sofy.server.delivery.Transition;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
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

    /**
     * Nodes sharing the database each have a writer: a later status change can commit before an
     * earlier one, and a recording must not pass over the earlier one meanwhile.
     */
    @Test
    void aRecordingWaitsForTheStatusChangesAnotherNodeIsStillWriting() throws Exception {
        String first = pendingSms();
        try (Handle otherNode = database.jdbi().open()) {
            otherNode.begin();
            JdbiLifecycleStore.applyAll(otherNode, List.of(new Transition.Sent(first, "mainland", List.of("carrier-1"), T0)), T0);
            sent(T0.plusSeconds(1));
            var recording = CompletableFuture.supplyAsync(() -> webhooks.recordEvents(1_000));
            Thread.sleep(300);
            otherNode.commit();
            recording.get(10, TimeUnit.SECONDS);
        }

        webhooks.recordEvents(1_000);

        assertEquals(2, events());
    }

    @Test
    void theOutboxIsIndexedByEndpointAsH2DoesByItself() {
        List<String> definitions = database.jdbi().withHandle(handle -> handle.createQuery(
                        "SELECT indexdef FROM pg_indexes WHERE tablename = 'webhook_delivery' AND indexdef LIKE '%(endpoint_id, id)'")
                .mapTo(String.class).list());

        assertEquals(1, definitions.size(), definitions.toString());
    }
}
