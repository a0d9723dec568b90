package dev.sofy.server.storage;

import dev.sofy.server.config.Config;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Empty databases for the store contracts, on H2 as the server uses by default and on a real PostgreSQL. */
final class ContractDatabases {
    private ContractDatabases() {}

    /** A new H2 file database below {@code directory}. */
    static Config emptyH2(Path directory) throws IOException {
        Path databaseDirectory = Files.createTempDirectory(directory, "h2");
        return Config.from(Map.of("SOFY_DB_URL", "jdbc:h2:file:" + databaseDirectory.resolve("sofy")));
    }

    /**
     * An embedded PostgreSQL started once for a test class (register it as a static extension);
     * each {@link #emptyDatabase()} is a new database in it.
     */
    static final class Postgres implements BeforeAllCallback, AfterAllCallback {
        private final String prefix;
        private final AtomicInteger databases = new AtomicInteger();
        private EmbeddedPostgres postgres;

        Postgres(String prefix) {
            this.prefix = prefix;
        }

        @Override
        public void beforeAll(ExtensionContext context) throws IOException {
            postgres = EmbeddedPostgres.start();
        }

        @Override
        public void afterAll(ExtensionContext context) throws IOException {
            if (postgres != null) {
                postgres.close();
            }
        }

        Config emptyDatabase() throws SQLException {
            String name = prefix + "_" + databases.incrementAndGet();
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
}
