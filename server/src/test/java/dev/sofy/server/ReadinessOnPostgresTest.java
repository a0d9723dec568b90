package dev.sofy.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sofy.server.config.Config;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Readiness follows the database: a real PostgreSQL, stopped under a running server and started again. */
final class ReadinessOnPostgresTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path directory;
    private EmbeddedPostgres postgres;
    private App app;

    @AfterEach
    void stop() throws IOException {
        if (app != null) {
            app.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    private EmbeddedPostgres startPostgres(int port) throws IOException {
        return EmbeddedPostgres.builder()
                .setDataDirectory(directory.resolve("postgres"))
                .setCleanDataDirectory(false)
                .setPort(port)
                .start();
    }

    @Test
    void readinessIs503WhileTheDatabaseIsDownAnd200OnceItIsBack() throws Exception {
        Files.createDirectories(directory.resolve("postgres"));
        int port = freePort();
        postgres = startPostgres(port);
        app = App.start(Config.from(Map.of(
                "SOFY_HOST", "127.0.0.1",
                "SOFY_PORT", "0",
                "SOFY_MANAGEMENT_PORT", "0",
                "SOFY_DB_URL", postgres.getJdbcUrl("postgres", "postgres"),
                "SOFY_DB_USER", "postgres",
                "SOFY_DB_PASSWORD", "postgres",
                "SOFY_DB_POOL_SIZE", "2")));
        assertEquals(200, readinessUntil(status -> status == 200).statusCode());

        postgres.close();
        postgres = null;
        HttpResponse<String> down = readinessUntil(status -> status == 503);
        assertTrue(down.body().contains("\"name\":\"database\",\"status\":\"down\""), down.body());

        postgres = startPostgres(port);
        HttpResponse<String> back = readinessUntil(status -> status == 200);
        assertTrue(back.body().contains("\"name\":\"database\",\"status\":\"up\""), back.body());
    }

    /** Polls readiness until its status is one {@code wanted} accepts; fails after the timeout. */
    private HttpResponse<String> readinessUntil(IntPredicate wanted) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        HttpResponse<String> last = null;
        while (System.nanoTime() < deadline) {
            last = client.send(HttpRequest.newBuilder(app.managementUri().resolve("/health/ready"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            if (wanted.test(last.statusCode())) {
                return last;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("readiness never reached the wanted status; last: "
                + (last == null ? "none" : last.statusCode() + " " + last.body()));
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
