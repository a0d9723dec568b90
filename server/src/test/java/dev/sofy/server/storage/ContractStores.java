package dev.sofy.server.storage;

import dev.sofy.server.config.Config;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * The stores of one empty database as the server wires them (one commit queue for all writes),
 * with account {@code acme} and its key {@code key-1}: the common ground of the store contracts.
 */
final class ContractStores implements AutoCloseable {
    final Database database;
    final CommitQueue writes;
    final JdbiSmsStore sms;
    final JdbiKeyStore keys;
    final JdbiLifecycleStore lifecycle;
    final JdbiWebhookStore webhooks;
    final long accountId;

    /** @param now the writer's clock, fixed; {@code accountCreatedAt} when acme's key was saved */
    ContractStores(Config emptyDatabase, Instant now, Instant accountCreatedAt) {
        database = Database.open(emptyDatabase);
        writes = new CommitQueue(database.jdbi(), Clock.fixed(now, ZoneOffset.UTC));
        sms = new JdbiSmsStore(database.jdbi(), writes);
        keys = new JdbiKeyStore(database.jdbi());
        lifecycle = new JdbiLifecycleStore(database.jdbi(), writes);
        webhooks = new JdbiWebhookStore(database.jdbi(), writes);
        keys.saveKey("acme", "key-1", "a".repeat(64), null, null, accountCreatedAt);
        accountId = keys.findKey("key-1").orElseThrow().account().id();
    }

    @Override
    public void close() {
        writes.close();
        database.close();
    }
}
