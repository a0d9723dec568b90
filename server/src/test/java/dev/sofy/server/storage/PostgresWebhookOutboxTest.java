package dev.sofy.server.storage;

import dev.sofy.server.config.Config;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The webhook outbox contract on a real PostgreSQL, started once for the class; each test gets a new database. */
final class PostgresWebhookOutboxTest extends WebhookOutboxContract {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres postgres;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = EmbeddedPostgres.start();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Override
    protected Config emptyDatabase() throws Exception {
        String name = "outbox_" + DATABASES.incrementAndGet();
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        }
        return Config.from(Map.of(
                "SOFY_DB_URL", postgres.getJdbcUrl("postgres", name),
                "SOFY_DB_USER", "postgres",
                "SOFY_DB_PASSWORD", "postgres",
                "SOFY_DB_POOL_SIZE", "2"));
    }
}
