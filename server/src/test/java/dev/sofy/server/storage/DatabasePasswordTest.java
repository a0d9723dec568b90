package dev.sofy.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sofy.server.config.Config;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.h2.api.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The login of an H2 file database: a generated password unless the operator sets one, also for
 * the databases of earlier releases, whose password is empty.
 */
class DatabasePasswordTest {
    @TempDir
    Path directory;

    @Test
    void aDatabaseOfAnEarlierReleaseStillOpensWithItsData() throws Exception {
        createAsAnEarlierRelease();

        try (Database database = open()) {
            int rows = database.jdbi().withHandle(handle ->
                    handle.createQuery("SELECT COUNT(*) FROM account WHERE name = 'earlier'").mapTo(Integer.class).one());
            assertEquals(1, rows);
        }
    }

    @Test
    void aDatabaseOfAnEarlierReleaseHasAPasswordFileOnceOpened() throws Exception {
        createAsAnEarlierRelease();

        open().close();

        assertTrue(Files.exists(passwordFile()));
    }

    @Test
    void aDatabaseOfAnEarlierReleaseRefusesTheEmptyPasswordOnceOpened() throws Exception {
        createAsAnEarlierRelease();

        open().close();

        SQLException refused = assertThrows(SQLException.class, () -> connect("").close());
        assertEquals(ErrorCode.WRONG_USER_OR_PASSWORD, refused.getErrorCode(), refused.toString());
    }

    @Test
    void aDatabaseOfAnEarlierReleaseAcceptsThePasswordOfItsPasswordFileOnceOpened() throws Exception {
        createAsAnEarlierRelease();

        open().close();

        try (Connection connection = connect(Files.readString(passwordFile()).strip())) {
            assertTrue(connection.isValid(5));
        }
    }

    /** A start that wrote the password file and stopped before it set the password. */
    @Test
    void aDatabaseLeftWithTheEmptyPasswordBesideItsPasswordFileGetsThePasswordOfTheFile() throws Exception {
        createAsAnEarlierRelease();
        Files.writeString(passwordFile(), "written-before-a-crash\n");

        open().close();

        try (Connection connection = connect("written-before-a-crash")) {
            assertTrue(connection.isValid(5));
        }
    }

    /**
     * A {@code keys} command of this release beside a server of an earlier one: changing the
     * password would leave that server unable to open new connections.
     */
    @Test
    void besideAnEarlierReleasesRunningServerTheDatabaseKeepsTheEmptyPassword() throws Exception {
        createAsAnEarlierRelease();
        Process earlier = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dh2.bindAddress=127.0.0.1", "-cp", h2Jar().toString(), "org.h2.tools.Shell",
                "-url", Database.durableUrl(url()), "-user", "sa", "-password", "")
                .redirectErrorStream(true)
                .redirectOutput(directory.resolve("earlier.log").toFile())
                .start();
        try {
            awaitAutoServer();

            open().close();

            try (Connection connection = DriverManager.getConnection(Database.durableUrl(url()), "sa", "")) {
                assertTrue(connection.isValid(5));
            }
        } finally {
            earlier.destroy();
            earlier.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aPasswordFileThatTheDatabaseRefusesStopsTheOpenWithAMessageNamingTheFile() throws Exception {
        open("SOFY_DB_PASSWORD", "set-by-the-operator").close();
        Files.writeString(passwordFile(), "not-the-password\n");

        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> open().close());

        assertTrue(refused.getMessage().contains(passwordFile().toString()), refused.getMessage());
    }

    @Test
    void aPasswordWrittenForADatabaseThatRefusesItIsRemovedAgain() throws Exception {
        open("SOFY_DB_PASSWORD", "set-by-the-operator").close();

        assertThrows(IllegalStateException.class, () -> open().close());

        assertFalse(Files.exists(passwordFile()));
    }

    @Test
    void aPasswordTheOperatorSetsIsTheDatabasesPassword() throws Exception {
        open("SOFY_DB_PASSWORD", "set-by-the-operator").close();

        try (Connection connection = connect("set-by-the-operator")) {
            assertTrue(connection.isValid(5));
        }
    }

    @Test
    void noPasswordFileIsWrittenWhenTheOperatorSetsThePassword() throws Exception {
        open("SOFY_DB_PASSWORD", "set-by-the-operator").close();

        assertFalse(Files.exists(passwordFile()));
    }

    /**
     * What the server made before the password: its schema, here with one account, as user sa
     * with the empty password, the files left to the umask.
     */
    private void createAsAnEarlierRelease() throws SQLException {
        Flyway.configure()
                .dataSource(Database.durableUrl(url()), "sa", "")
                .locations("classpath:db/migration")
                .javaMigrations(new H2PerSmsForeignKeys())
                .placeholders(Map.of("identityCache", "1000"))
                .load()
                .migrate();
        try (Connection connection = DriverManager.getConnection(Database.durableUrl(url()), "sa", "");
             Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO account (name, created_at) VALUES ('earlier', CURRENT_TIMESTAMP)");
        }
    }

    /** Until the other process's auto-server has written where it listens into the lock file. */
    private void awaitAutoServer() throws Exception {
        Path lock = directory.resolve("sofy.lock.db");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!(Files.exists(lock) && Files.readString(lock, StandardCharsets.ISO_8859_1).contains("server="))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no auto-server in " + lock + ":\n" + Files.readString(directory.resolve("earlier.log")));
            }
            Thread.sleep(50);
        }
    }

    private static Path h2Jar() throws Exception {
        return Path.of(org.h2.Driver.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private Database open(String... settings) {
        var environment = new HashMap<>(Map.of("SOFY_DB_URL", url(), "SOFY_DB_POOL_SIZE", "2"));
        for (int i = 0; i < settings.length; i += 2) {
            environment.put(settings[i], settings[i + 1]);
        }
        return Database.open(Config.from(environment));
    }

    /** A connection of this process alone, with the database closed by the server. */
    private Connection connect(String password) throws SQLException {
        return DriverManager.getConnection(url(), "sa", password);
    }

    private String url() {
        return "jdbc:h2:file:" + directory.resolve("sofy");
    }

    private Path passwordFile() {
        return directory.resolve("sofy.password");
    }
}
