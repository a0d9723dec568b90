package dev.sofy.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sofy.server.config.Config;
import dev.sofy.server.http.wire.WebhookEvents;
import dev.sofy.server.webhooks.Endpoint;
import dev.sofy.server.webhooks.EventType;
import dev.sofy.server.webhooks.UrlGuard;
import dev.sofy.server.webhooks.WebhookSender;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
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
final class WebhookSenderYieldingTest extends StoreContract {
    /** Claims come every 20 ms when nothing is due: the 300 ms waited below is fifteen chances to record. */
    private static final WebhookSender.Settings SETTINGS = new WebhookSender.Settings("node-a", 100, 32,
            Duration.ofMillis(50), Duration.ofSeconds(1), List.of(Duration.ofHours(1)), Duration.ofMinutes(2),
            Duration.ofMillis(20));

    @TempDir
    Path directory;

    private final AtomicBoolean ingestBusy = new AtomicBoolean(true);
    private WebhookSender sender;

    @Override
    protected Config emptyDatabase() throws Exception {
        return ContractDatabases.emptyH2(directory);
    }

    @BeforeEach
    void startTheSender() {
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
