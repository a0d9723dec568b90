package dev.sofy.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sofy.server.config.Config;
import dev.sofy.server.links.ShortLink;
import dev.sofy.server.webhooks.Endpoint;
import dev.sofy.server.webhooks.EventType;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The click log contract on a real PostgreSQL, started once for the class; each test gets a new database. */
final class PostgresClickLogTest extends ClickLogContract {
    @RegisterExtension
    static final ContractDatabases.Postgres POSTGRES = new ContractDatabases.Postgres("clicks");

    @Override
    protected Config emptyDatabase() throws Exception {
        return POSTGRES.emptyDatabase();
    }

    /**
     * Nodes sharing the database each have a writer: a later click can commit before an earlier
     * one, and a recording must not pass over the earlier one meanwhile.
     */
    @Test
    void aRecordingWaitsForTheClicksAnotherNodeIsStillWriting() throws Exception {
        webhooks.insert(new Endpoint("endpoint-000000clicks", accountId, "https://example.com/clicks",
                Set.of(EventType.SMS_CLICK), "whsec_Y2xpY2tz", T0, null, null));
        pendingSms(List.of(new ShortLink("Other12345", "https://www.example.com/autre")));
        try (Handle otherNode = database.jdbi().open()) {
            otherNode.begin();
            JdbiLinkStore.countAll(otherNode, List.of(new JdbiLinkStore.Click(CODE, T0.plusSeconds(1))));
            links.click("Other12345", T0.plusSeconds(2)).join();
            var recording = CompletableFuture.supplyAsync(() -> webhooks.recordEvents(1_000));
            Thread.sleep(300);
            otherNode.commit();
            recording.get(10, TimeUnit.SECONDS);
        }

        webhooks.recordEvents(1_000);

        long clickEvents = database.jdbi().withHandle(handle -> handle.createQuery(
                        "SELECT COUNT(*) FROM webhook_delivery WHERE endpoint_id = 'endpoint-000000clicks'")
                .mapTo(Long.class).one());
        assertEquals(2, clickEvents);
    }
}
