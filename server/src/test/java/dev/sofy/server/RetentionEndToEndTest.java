package dev.sofy.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sofy.server.config.Config;
import dev.sofy.server.retention.Retention;
import dev.sofy.server.storage.JdbiRetentionStore;
import dev.sofy.testing.KeyPair;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An SMS deleted past retention, read through a whole server: it no longer exists. Retention runs
 * here with a clock 91 days ahead, on the server's own database.
 */
class RetentionEndToEndTest {
    private static final KeyPair KEY = new KeyPair("retention-e2e-key", "retention-e2e-secret-0123456789-abc");
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final String url = "jdbc:h2:mem:retention-" + UUID.randomUUID();
    private App app;
    private HttpClient http;
    private SmsTestClient api;

    @BeforeEach
    void startServer() {
        app = App.start(Config.from(Map.of(
                "SOFY_HOST", "127.0.0.1",
                "SOFY_PORT", "0",
                "SOFY_MANAGEMENT_PORT", "0",
                "SOFY_DB_URL", url,
                "SOFY_BOOTSTRAP_KEY_ID", KEY.id(),
                "SOFY_BOOTSTRAP_KEY_SECRET", KEY.secret(),
                "SOFY_SIMULATOR_RECEIPT_DELAY_MS", "0")));
        http = SmsTestClient.newClient();
        api = new SmsTestClient(http, app.baseUri(), KEY);
    }

    @AfterEach
    void stopServer() {
        if (app != null) {
            app.close();
        }
    }

    private String delivered(String body) throws Exception {
        String id = api.send("+12025550123", body, true).path("id").asText();
        api.awaitFinal(List.of(id), TIMEOUT);
        return id;
    }

    @Test
    void anSmsDeletedPastRetentionReadsAsNotFound() throws Exception {
        String old = delivered("Past retention");
        // Retention keeps the SMS holding the webhook sender's cursor: a later one takes it over.
        delivered("Later");
        Jdbi database = Jdbi.create(url, "sa", "");
        // No webhook store: with 90 days, finished events are left to the hourly job (a week).
        var retention = new Retention(new JdbiRetentionStore(database), null, Clock.offset(Clock.systemUTC(),
                Duration.ofDays(91)), Duration.ofDays(90), Retention.Settings.defaults(), () -> false);
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (retention.runOnce().sms() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }

        HttpResponse<String> read = http.send(ApiRequests.getSms(app.baseUri(), KEY, old),
                HttpResponse.BodyHandlers.ofString());

        assertEquals(404, read.statusCode());
    }
}
