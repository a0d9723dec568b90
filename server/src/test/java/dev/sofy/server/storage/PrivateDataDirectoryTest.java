package dev.sofy.server.storage;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sofy.server.config.Config;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.h2.api.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded database is private to the server's OS user: its directory, every file H2
 * writes in it, and the login of its auto-server, which any local user can reach on loopback.
 */
class PrivateDataDirectoryTest {
    @TempDir
    Path directory;

    @Test
    void aNewDataDirectoryIsOpenToTheServersUserOnly() throws Exception {
        try (Database database = open()) {
            assertEquals("rwx------", mode(data()));
        }
    }

    @Test
    void everyFileOfANewDatabaseIsReadableAndWritableByTheServersUserOnly() throws Exception {
        try (Database database = open()) {
            assertTrue(Files.exists(data().resolve("sofy.lock.db")), "the lock file of an open database");
            assertEveryFilePrivate(List.of("sofy.lock.db", "sofy.mv.db", "sofy.password"));
        }
    }

    @Test
    void theTraceFileThatTheFirstErrorWritesIsReadableAndWritableByTheServersUserOnly() throws Exception {
        try (Database database = open()) {
            assertThrows(RuntimeException.class,
                    () -> database.jdbi().useHandle(handle -> handle.execute("SELECT * FROM no_such_table")));

            Path trace = data().resolve("sofy.trace.db");
            assertTrue(Files.exists(trace), "H2 writes the error to its trace file");
            assertEquals("rw-------", mode(trace));
        }
    }

    @Test
    void inADirectoryOpenToOthersEveryFileIsStillReadableAndWritableByTheServersUserOnly() throws Exception {
        Files.createDirectories(data(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));

        try (Database database = open()) {
            assertEveryFilePrivate(List.of("sofy.lock.db", "sofy.mv.db", "sofy.password"));
        }
    }

    @Test
    void theFilesOfAnEarlierReleaseBecomeReadableAndWritableByTheServersUserOnly() throws Exception {
        Files.createDirectories(data());
        DriverManager.getConnection(Database.durableUrl(url()), "sa", "").close();
        Files.setPosixFilePermissions(data().resolve("sofy.mv.db"), PosixFilePermissions.fromString("rw-r--r--"));

        open().close();

        assertEquals("rw-------", mode(data().resolve("sofy.mv.db")));
    }

    @Test
    void aDataDirectoryOpenToOthersIsWarnedAbout() throws Exception {
        Files.createDirectories(data(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));

        String log = standardErrorWhile(() -> open().close());

        assertTrue(log.contains("WARN " + PrivateDataDirectory.class.getName() + " - " + data() + " is rwxr-xr-x"), log);
    }

    @Test
    void aDataDirectoryEveryUserCanWriteToStopsTheOpenWithAMessageNamingIt() throws Exception {
        Files.createDirectories(data());
        Files.setPosixFilePermissions(data(), PosixFilePermissions.fromString("rwxrwxrwx"));

        var refused = assertThrows(IllegalStateException.class, () -> open().close());

        assertTrue(refused.getMessage().contains(data() + " is rwxrwxrwx"), refused.getMessage());
        assertFalse(Files.exists(data().resolve("sofy.password")), "the open wrote a password before it refused the directory");
    }

    @Test
    void theAutoServerRefusesTheLoginWithTheEmptyPassword() throws Exception {
        try (Database database = open()) {
            String autoServer = autoServerUrl();

            SQLException refused = assertThrows(SQLException.class,
                    () -> DriverManager.getConnection(autoServer, "sa", "").close());

            assertEquals(ErrorCode.WRONG_USER_OR_PASSWORD, refused.getErrorCode(), refused.toString());
        }
    }

    @Test
    void theAutoServerAcceptsTheLoginWithThePasswordOfThePasswordFile() throws Exception {
        try (Database database = open()) {
            String password = Files.readString(data().resolve("sofy.password")).strip();

            try (Connection connection = DriverManager.getConnection(autoServerUrl(), "sa", password)) {
                assertTrue(connection.isValid(5));
            }
        }
    }

    @Test
    void anotherOsUserCannotReadTheDatabaseFile() throws Exception {
        assumeTrue(runsAsNobody(), "needs root and runuser, and the user nobody");
        openDirectoryToOthers();
        try (Database database = open()) {
            Run cat = asNobody("cat", data().resolve("sofy.mv.db").toString());

            assertNotEquals(0, cat.exitCode(), cat.output());
            assertTrue(cat.output().contains("Permission denied"), cat.output());
        }
    }

    /** Even with the lock file's key, as if it had leaked: the password is what guards the port. */
    @Test
    void anotherOsUserWithTheAutoServersKeyCannotLogIn() throws Exception {
        assumeTrue(runsAsNobody(), "needs root and runuser, and the user nobody");
        openDirectoryToOthers();
        Path h2Jar = directory.resolve("h2.jar");
        Files.copy(Path.of(org.h2.Driver.class.getProtectionDomain().getCodeSource().getLocation().toURI()), h2Jar,
                StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(h2Jar, PosixFilePermissions.fromString("rw-r--r--"));
        try (Database database = open()) {
            Run shell = asNobody(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", h2Jar.toString(), "org.h2.tools.Shell",
                    "-url", autoServerUrl(), "-user", "sa", "-password", "", "-sql", "SELECT 1");

            assertNotEquals(0, shell.exitCode(), shell.output());
            assertTrue(shell.output().contains(String.valueOf(ErrorCode.WRONG_USER_OR_PASSWORD)), shell.output());
        }
    }

    private Database open() {
        return Database.open(Config.from(Map.of("SOFY_DB_URL", url(), "SOFY_DB_POOL_SIZE", "2")));
    }

    private String url() {
        return "jdbc:h2:file:" + data().resolve("sofy");
    }

    private Path data() {
        return directory.resolve("data");
    }

    private void assertEveryFilePrivate(List<String> expected) throws IOException {
        List<Path> files;
        try (Stream<Path> listed = Files.list(data())) {
            files = listed.toList();
        }
        assertTrue(files.stream().map(file -> file.getFileName().toString()).toList().containsAll(expected),
                files.toString());
        assertAll(files.stream().map(file -> (Executable) () -> assertEquals("rw-------", mode(file), file.toString())));
    }

    /** What is logged meanwhile: slf4j-simple writes to whatever {@code System.err} is at the time. */
    private static String standardErrorWhile(Runnable action) {
        PrintStream original = System.err;
        var captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    /** The auto-server's URL, from the lock file as a user who can read it finds it. */
    private String autoServerUrl() throws IOException {
        var lock = new Properties();
        try (InputStream in = Files.newInputStream(data().resolve("sofy.lock.db"))) {
            lock.load(in);
        }
        return "jdbc:h2:tcp://" + lock.getProperty("server") + "/" + lock.getProperty("id");
    }

    /** JUnit's directory is closed to others; the data directory alone must keep them out. */
    private void openDirectoryToOthers() throws IOException {
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private record Run(int exitCode, String output) {}

    private static boolean runsAsNobody() {
        try {
            return asNobody("true").exitCode() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static Run asNobody(String... command) throws IOException {
        var runuser = new ArrayList<>(List.of("runuser", "-u", "nobody", "--"));
        runuser.addAll(List.of(command));
        Process process = new ProcessBuilder(runuser).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not end within 60 s");
            }
            return new Run(process.exitValue(), output);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
