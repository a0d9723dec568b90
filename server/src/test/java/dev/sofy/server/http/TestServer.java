package dev.sofy.server.http;

import dev.sofy.server.ApiRequests;
import dev.sofy.server.App;
import dev.sofy.server.config.Config;
import dev.sofy.testing.KeyPair;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * A real {@link App} on 127.0.0.1 and a random port over its own in-memory H2 database, which the
 * test can also reach directly to see what was stored.
 */
final class TestServer implements AutoCloseable {
    static final KeyPair KEY = new KeyPair("http-test-key", "http-test-secret-0123456789-abcd");

    private final App app;
    private final Jdbi database;
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    private TestServer(App app, Jdbi database) {
        this.app = app;
        this.database = database;
    }

    static TestServer start() {
        return start(Map.of());
    }

    /** With settings of the test's own on top of the server's. */
    static TestServer start(Map<String, String> settings) {
        // A named in-memory database lives while a connection is open: the app's pool keeps it.
        String url = "jdbc:h2:mem:http-" + UUID.randomUUID();
        var environment = new HashMap<>(Map.of(
                "SOFY_HOST", "127.0.0.1",
                "SOFY_PORT", "0",
                "SOFY_MANAGEMENT_PORT", "0",
                "SOFY_DB_URL", url,
                "SOFY_BOOTSTRAP_KEY_ID", KEY.id(),
                "SOFY_BOOTSTRAP_KEY_SECRET", KEY.secret()));
        environment.putAll(settings);
        App app = App.start(Config.from(environment));
        return new TestServer(app, Jdbi.create(url, "sa", ""));
    }

    URI baseUri() {
        return app.baseUri();
    }

    int port() {
        return app.port();
    }

    /** Where the management listener (metrics, health) listens. */
    URI managementUri() {
        return app.managementUri();
    }

    long storedSmsCount() {
        return database.withHandle(handle -> handle.createQuery("SELECT COUNT(*) FROM sms").mapTo(Long.class).one());
    }

    /** Runs SQL behind the server's back, to break what it relies on. */
    void executeDirectly(String sql) {
        database.useHandle(handle -> handle.execute(sql));
    }

    HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Sends a valid SMS and returns its id. */
    String createSms() throws IOException, InterruptedException {
        HttpResponse<String> response = send(ApiRequests.createSms(baseUri(), KEY, ApiRequests.VALID_SMS_JSON));
        if (response.statusCode() != 201) {
            throw new AssertionError("a valid SMS was refused: " + response.statusCode() + " " + response.body());
        }
        return ApiRequests.createdId(response);
    }

    @Override
    public void close() {
        app.close();
    }
}
