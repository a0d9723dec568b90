package dev.sofy.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sofy.testing.KeyPair;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sofy-server keys create}, with the server running on the same database and without it. */
final class KeysCommandIT {
    private static final String KEY_ID_LINE = "X-API-KEY-ID: [A-Za-z0-9_-]+";
    private static final String KEY_SECRET_LINE = "X-API-KEY-SECRET: [A-Za-z0-9_-]+";
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    @TempDir
    static Path serverDirectory;
    private static Map<String, String> serverEnvironment;
    private static ServerProcess server;

    @TempDir
    Path directory;

    /** One server for the class, started without a bootstrap key on an empty H2 file database. */
    @BeforeAll
    static void startServer() throws Exception {
        serverEnvironment = Map.of(
                "SOFY_HOST", "127.0.0.1",
                "SOFY_PORT", "0",
                "SOFY_MANAGEMENT_PORT", "0",
                "SOFY_DB_URL", "jdbc:h2:file:" + serverDirectory.resolve("sofy"));
        server = ServerProcess.start(serverEnvironment, serverDirectory.resolve("server.err"));
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void keysCreateWhileTheServerRunsPrintsTheTwoKeyLinesAndExits0() throws Exception {
        CommandRun run = CommandRun.of(serverEnvironment, directory, "keys", "create", "--account", "acme");

        assertEquals(0, run.exitCode(), run.describe());
        assertTrue(printsExactlyOneKey(run.stdout()), run.describe());
    }

    @Test
    void aKeyCreatedWhileTheServerRunsIsUsableAtOnce() throws Exception {
        CommandRun run = CommandRun.of(serverEnvironment, directory, "keys", "create", "--account", "acme");
        KeyPair key = KeyPair.printedIn(run.stdout()).orElseThrow(() -> new AssertionError(run.describe()));

        HttpResponse<String> response = CLIENT.send(
                ApiRequests.createSms(server.baseUri(), key, ApiRequests.VALID_SMS_JSON),
                HttpResponse.BodyHandlers.ofString());

        assertEquals(201, response.statusCode(), response.body());
    }

    @Test
    void theKeyPrintedOnAFirstStartIsUsable() throws Exception {
        List<String> keyLines = List.of(
                server.awaitLine(line -> line.startsWith("X-API-KEY-ID: "), Duration.ofSeconds(10)),
                server.awaitLine(line -> line.startsWith("X-API-KEY-SECRET: "), Duration.ofSeconds(10)));
        KeyPair key = KeyPair.printedIn(keyLines).orElseThrow();

        HttpResponse<String> response = CLIENT.send(
                ApiRequests.createSms(server.baseUri(), key, ApiRequests.VALID_SMS_JSON),
                HttpResponse.BodyHandlers.ofString());

        assertEquals(201, response.statusCode(), response.body());
    }

    @Test
    void keysCreateWithNoServerRunningPrintsTheTwoKeyLinesAndExits0() throws Exception {
        Map<String, String> environment = Map.of("SOFY_DB_URL", "jdbc:h2:file:" + directory.resolve("sofy"));

        CommandRun run = CommandRun.of(environment, directory, "keys", "create", "--account", "acme");

        assertEquals(0, run.exitCode(), run.describe());
        assertTrue(printsExactlyOneKey(run.stdout()), run.describe());
    }

    @Test
    void keysCreateRunBeforeAnyServerCreatesTheDataDirectoryOpenToItsUserOnly() throws Exception {
        Path data = directory.resolve("data");

        CommandRun run = CommandRun.of(Map.of("SOFY_DB_URL", "jdbc:h2:file:" + data.resolve("sofy")), directory,
                "keys", "create", "--account", "acme");

        assertEquals(0, run.exitCode(), run.describe());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data)));
    }

    @Test
    void keysCreateRunBeforeAnyServerLeavesAPasswordFileReadableByItsUserOnly() throws Exception {
        Path data = directory.resolve("data");

        CommandRun run = CommandRun.of(Map.of("SOFY_DB_URL", "jdbc:h2:file:" + data.resolve("sofy")), directory,
                "keys", "create", "--account", "acme");

        assertEquals(0, run.exitCode(), run.describe());
        assertEquals("rw-------",
                PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("sofy.password"))));
    }

    @Test
    void aServerStartedAfterAKeysCommandOpensTheDatabaseAndTakesTheKey() throws Exception {
        Map<String, String> environment = Map.of(
                "SOFY_HOST", "127.0.0.1",
                "SOFY_PORT", "0",
                "SOFY_MANAGEMENT_PORT", "0",
                "SOFY_DB_URL", "jdbc:h2:file:" + directory.resolve("data/sofy"));
        CommandRun run = CommandRun.of(environment, directory, "keys", "create", "--account", "acme");
        KeyPair key = KeyPair.printedIn(run.stdout()).orElseThrow(() -> new AssertionError(run.describe()));

        try (ServerProcess later = ServerProcess.start(environment, directory.resolve("later.err"))) {
            HttpResponse<String> response = CLIENT.send(
                    ApiRequests.createSms(later.baseUri(), key, ApiRequests.VALID_SMS_JSON),
                    HttpResponse.BodyHandlers.ofString());

            assertEquals(201, response.statusCode(), response.body());
        }
    }

    @Test
    void helpExits0AndListsTheServeAndKeysCommands() throws Exception {
        CommandRun run = CommandRun.of(Map.of(), directory, "--help");

        assertEquals(0, run.exitCode(), run.describe());
        assertTrue(run.stdout().stream().anyMatch(line -> line.strip().startsWith("serve ")), run.describe());
        assertTrue(run.stdout().stream().anyMatch(line -> line.strip().startsWith("keys ")), run.describe());
    }

    private static boolean printsExactlyOneKey(List<String> stdout) {
        return stdout.size() == 2 && stdout.get(0).matches(KEY_ID_LINE) && stdout.get(1).matches(KEY_SECRET_LINE);
    }
}
