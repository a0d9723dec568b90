package dev.sofy.server.storage;

import dev.sofy.server.config.Config;
import dev.sofy.server.delivery.Transition;
import dev.sofy.server.links.ShortLink;
import dev.sofy.server.sms.Message;
import dev.sofy.server.sms.Status;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A store contract runs each test on the stores of a new empty database of its subclass's kind,
 * wired as the server wires them (one commit queue for all writes), with account {@code acme}.
 */
abstract class StoreContract {
    /** When account acme's key was saved. */
    static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
    /** The writer's clock. */
    static final Instant NOW = T0.plusSeconds(60);

    Database database;
    JdbiSmsStore sms;
    JdbiLifecycleStore lifecycle;
    JdbiWebhookStore webhooks;
    JdbiLinkStore links;
    long accountId;
    CommitQueue writes;
    private int created;

    protected abstract Config emptyDatabase() throws Exception;

    @BeforeEach
    final void openDatabase() throws Exception {
        database = Database.open(emptyDatabase());
        writes = new CommitQueue(database.jdbi(), Clock.fixed(NOW, ZoneOffset.UTC));
        sms = new JdbiSmsStore(database.jdbi(), writes);
        lifecycle = new JdbiLifecycleStore(database.jdbi(), writes);
        webhooks = new JdbiWebhookStore(database.jdbi(), writes);
        links = new JdbiLinkStore(database.jdbi(), writes);
        var keys = new JdbiKeyStore(database.jdbi());
        keys.saveKey("acme", "key-1", "a".repeat(64), null, null, T0);
        accountId = keys.findKey("key-1").orElseThrow().account().id();
    }

    @AfterEach
    final void closeDatabase() {
        writes.close();
        database.close();
    }

    /** A pending SMS of account acme; returns its id. */
    final String pendingSms() {
        return pendingSms(List.of());
    }

    /** A pending SMS of account acme with these short links; returns its id. */
    final String pendingSms(List<ShortLink> shortLinks) {
        String id = String.format("contract-sms-%08d", ++created);
        sms.insert(new Message(id, accountId, "APITEST", "33612345678", "Hello", true, true,
                Status.PENDING, "", T0, T0, 1, "GSM-7", T0.plus(Duration.ofDays(1)), null, null), shortLinks, null).join();
        return id;
    }

    /** An SMS that became sent at {@code at}: a status change, not yet recorded as a webhook event. */
    final String sent(Instant at) {
        String id = pendingSms();
        lifecycle.record(new Transition.Sent(id, "mainland", List.of("carrier-" + id), at)).join();
        return id;
    }

    /** The webhook events in the outbox, whatever their state. */
    final long events() {
        return database.jdbi().withHandle(handle -> handle.createQuery("SELECT COUNT(*) FROM webhook_delivery")
                .mapTo(Long.class).one());
    }
}
