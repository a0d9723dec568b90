package dev.sofy.server.storage;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import dev.sofy.server.config.Config;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** The connection pool, the schema migrations and the {@link Jdbi} on top: one per process. */
public final class Database implements AutoCloseable {
    private static final String MIGRATIONS = "classpath:db/migration";
    /**
     * Versions of their own, numbered among the others': what only PostgreSQL needs. What only H2
     * needs is {@link H2PerSmsForeignKeys}, version 9; the next common version is 12.
     */
    private static final String POSTGRESQL_MIGRATIONS = "classpath:db/postgresql";
    private final HikariDataSource dataSource;
    private final Jdbi jdbi;

    private Database(HikariDataSource dataSource) {
        this.dataSource = dataSource;
        this.jdbi = Jdbi.create(dataSource);
    }

    /** Opens the database of the config and brings its schema up to date. */
    public static Database open(Config config) {
        // A registry no one reads: the command line and the storage tests need no metrics.
        return open(config, new CompositeMeterRegistry());
    }

    /** As {@link #open(Config)}, with the pool's metrics ({@code hikaricp_*}) in {@code metrics}. */
    public static Database open(Config config, MeterRegistry metrics) {
        HikariDataSource dataSource = connect(config, metrics);
        try {
            boolean h2 = config.dbUrl().startsWith("jdbc:h2:");
            var flyway = Flyway.configure()
                    .dataSource(dataSource)
                    .locations(h2 ? new String[] {MIGRATIONS} : new String[] {MIGRATIONS, POSTGRESQL_MIGRATIONS})
                    .placeholders(Map.of("identityCache", h2 ? "1000" : "1"));
            if (h2) {
                flyway.javaMigrations(new H2PerSmsForeignKeys());
            }
            flyway.load().migrate();
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        return new Database(dataSource);
    }

    /**
     * The pool. An H2 file database lives in a {@link PrivateDataDirectory}; unless the operator
     * set a password (an empty one is none), its login is the random password kept there.
     */
    private static HikariDataSource connect(Config config, MeterRegistry metrics) {
        String url = durableUrl(config.dbUrl());
        Optional<PrivateDataDirectory> directory = isH2File(url) ? PrivateDataDirectory.of(url) : Optional.empty();
        if (directory.isEmpty()) {
            return pool(config, url, config.dbPassword(), metrics);
        }
        directory.get().secure();
        if (!config.dbPassword().isEmpty()) {
            return pool(config, directory.get().url(), config.dbPassword(), metrics);
        }
        try (var first = directory.get().firstConnection(config.dbUser())) {
            return pool(config, directory.get().url(), first.password(), metrics);
        }
    }

    private static HikariDataSource pool(Config config, String url, String password, MeterRegistry metrics) {
        var pool = new HikariConfig();
        pool.setJdbcUrl(url);
        pool.setUsername(config.dbUser());
        pool.setPassword(password);
        pool.setMaximumPoolSize(config.dbPoolSize());
        pool.setPoolName("sofy");
        pool.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(metrics));
        return new HikariDataSource(pool);
    }

    /**
     * H2 file databases get two settings unless the URL sets them: {@code WRITE_DELAY=0}, because
     * H2's default 500 ms delay loses acknowledged commits when the process is killed; and
     * {@code AUTO_SERVER=TRUE}, so that {@code keys create} can use the database while the server
     * runs. The auto-server listens on loopback only, and {@link PrivateDataDirectory} guards its
     * login.
     */
    static String durableUrl(String url) {
        if (!isH2File(url)) {
            return url;
        }
        if (System.getProperty("h2.bindAddress") == null) {
            System.setProperty("h2.bindAddress", "127.0.0.1");
        }
        String upper = url.toUpperCase(java.util.Locale.ROOT);
        var result = new StringBuilder(url);
        if (!upper.contains(";WRITE_DELAY=")) {
            result.append(";WRITE_DELAY=0");
        }
        if (!upper.contains(";AUTO_SERVER=")) {
            result.append(";AUTO_SERVER=TRUE");
        }
        return result.toString();
    }

    private static boolean isH2File(String url) {
        if (!url.startsWith("jdbc:h2:")) {
            return false;
        }
        String rest = url.substring("jdbc:h2:".length());
        return !(rest.startsWith("mem:") || rest.startsWith("tcp:") || rest.startsWith("ssl:")
                || rest.startsWith("zip:"));
    }

    /** Whether the handle's database is PostgreSQL (else H2). */
    static boolean isPostgres(Handle handle) {
        try {
            return "PostgreSQL".equals(handle.getConnection().getMetaData().getDatabaseProductName());
        } catch (SQLException e) {
            throw new IllegalStateException("Could not tell which database this is", e);
        }
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
