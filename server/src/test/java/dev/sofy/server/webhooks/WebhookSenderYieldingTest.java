package dev.sofy.server.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sofy.server.config.Config;
import dev.sofy.server.http.wire.WebhookEvents;
import dev.sofy.server.delivery.Transition;
import dev.sofy.server.sms.Message;
import dev.sofy.server.sms.Status;
import dev.sofy.server.storage.CommitQueue;
import dev.sofy.server.storage.Database;
import dev.sofy.server.storage.JdbiKeyStore;
import dev.sofy.server.storage.JdbiLifecycleStore;
import dev.sofy.server.storage.JdbiSmsStore;
import dev.sofy.server.storage.JdbiWebhookStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * While taking SMS in needs everything the server has, the webhook sender turns no status change
 * into an event, so that the writer spends nothing on webhooks; it catches up once that ends.
 */
final class WebhookSenderYieldingTest {
    private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
    /** Claims come every 20 ms when nothing is due: the 300 ms waited below is fifteen chances to record. */
    private static final WebhookSender.Settings SETTINGS = new WebhookSender.Settings("node-a", 100, 32,
            Duration.ofMillis(50), Duration.ofSeconds(1), List.of(Duration.ofHours(1)), Duration.ofMinutes(2),
            Duration.ofMillis(20));

    @TempDir
    Path directory;

    private final AtomicBoolean ingestBusy = new AtomicBoolean(true);
    private Database database;
    private CommitQueue writes;
    private JdbiSmsStore sms;
    private JdbiLifecycleStore lifecycle;
    private long accountId;
    private int created;
    private WebhookSender sender;

    @BeforeEach
    void startTheSender() {
        database = Database.open(Config.from(Map.of("SOFY_DB_URL", "jdbc:h2:file:" + directory.resolve("sofy"))));
        writes = new CommitQueue(database.jdbi(), Clock.fixed(T0.plusSeconds(60), ZoneOffset.UTC));
        sms = new JdbiSmsStore(database.jdbi(), writes);
        lifecycle = new JdbiLifecycleStore(database.jdbi(), writes);
        var webhooks = new JdbiWebhookStore(database.jdbi(), writes);
        var keys = new JdbiKeyStore(database.jdbi());
        keys.saveKey("acme", "key-1", "a".repeat(64), null, null, T0);
        accountId = keys.findKey("key-1").orElseThrow().account().id();
        // Nothing listens on the discard port: attempts fail, and the events stay in the outbox.
        webhooks.insert(new Endpoint("endpoint-000000000001", accountId, "http://127.0.0.1:9/events",
                Set.of(EventType.SMS_STATUS), "whsec_c2VjcmV0", T0, null, null));
        sender = new WebhookSender(webhooks, new UrlGuard(true), Clock.systemUTC(), new WebhookEvents(() -> "http://127.0.0.1"),
                SETTINGS, ingestBusy::get);
        sender.start();
    }

    @AfterEach
    void stopTheSender() {
        sender.close();
        writes.close();
        database.close();
    }

    /** An SMS that became sent at {@code at}: a status change, not yet recorded as a webhook event. */
    private void sent(Instant at) {
        String id = String.format("yielding-sms-%08d", ++created);
        sms.insert(new Message(id, accountId, "APITEST", "33612345678", "Hello", true, true, Status.PENDING, "", T0,
                T0, 1, "GSM-7", T0.plus(Duration.ofDays(1)), null, null), List.of(), null).join();
        lifecycle.record(new Transition.Sent(id, "mainland", List.of("carrier-" + id), at)).join();
    }

    /** The webhook events in the outbox, whatever their state. */
    private long events() {
        return database.jdbi().withHandle(handle -> handle.createQuery("SELECT COUNT(*) FROM webhook_delivery")
                .mapTo(Long.class).one());
    }

    @Test
    void whileIngestIsBusyNoStatusChangeBecomesAnEvent() throws InterruptedException {
        sent(T0.plusSeconds(1));
        Thread.sleep(300);

        assertEquals(0, events());
    }

    @Test
    void onceIngestIsNoLongerBusyTheStatusChangesBecomeEvents() throws InterruptedException {
        sent(T0.plusSeconds(1));
        sent(T0.plusSeconds(2));
        Thread.sleep(100);

        ingestBusy.set(false);

        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (events() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(2, events());
    }
}
