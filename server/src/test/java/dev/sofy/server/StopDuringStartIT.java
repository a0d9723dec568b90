package dev.sofy.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sofy.testing.KeyPair;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A SIGTERM that arrives while the server starts (its SMSC simulator up, its HTTP listener not yet)
 * stops it as quietly as one after the start: exit 0, no stack trace, no H2 trace file, and one
 * line saying it stopped. The logs are JSON here, which each line must be.
 */
final class StopDuringStartIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static Path directory;
    private static int exitCode;
    private static String stdout;
    private static List<String> stderr;

    @BeforeAll
    static void stopTheServerWhileItStarts() throws Exception {
        directory = Files.createTempDirectory("sofy-stop-during-start");
        Path errors = directory.resolve("server.err");
        Process process = ServerProcess.command(ServerProcess.environment(directory, new KeyPair("stop-key", "stop-during-start-secret-0123456789"),
                        "SOFY_LOG_FORMAT", "json"))
                .directory(directory.toFile())
                .redirectError(errors.toFile())
                .redirectOutput(directory.resolve("server.out").toFile())
                .start();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        // The simulator listens before the server binds to it, and long before the API listens.
        while (!Files.readString(errors).contains("SMSC simulator listening")) {
            if (System.nanoTime() > deadline || !process.isAlive()) {
                process.destroyForcibly();
                throw new AssertionError("the server did not start its SMSC simulator:\n" + Files.readString(errors));
            }
            Thread.sleep(5);
        }
        process.destroy();
        if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the server did not stop within " + TIMEOUT);
        }
        exitCode = process.exitValue();
        stdout = Files.readString(directory.resolve("server.out"));
        stderr = Files.readAllLines(errors, StandardCharsets.UTF_8);
    }

    @Test
    void theSignalArrivedBeforeTheServerListened() {
        assertFalse(stdout.contains("listening"), stdout);
    }

    @Test
    void itExitsWithZero() {
        assertEquals(0, exitCode, () -> String.join("\n", stderr));
    }

    @Test
    void itLogsNoStackTraceNorError() {
        assertTrue(stderr.stream().noneMatch(line -> line.contains("\"level\":\"ERROR\"") || line.contains("\"level\":\"WARN\"")
                || line.contains("Exception")), () -> String.join("\n", stderr));
    }

    @Test
    void itLogsThatItStoppedLast() throws IOException {
        String last = stderr.get(stderr.size() - 1);
        assertEquals("Sofy server stopped", new ObjectMapper().readTree(last).path("formattedMessage").asText(), last);
    }

    @Test
    void everyLogLineIsOneJsonObject() throws IOException {
        var json = new ObjectMapper();
        for (String line : stderr) {
            assertTrue(json.readTree(line).isObject(), line);
        }
    }

    @Test
    void itLeavesNoH2TraceFile() throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            assertEquals(List.of(), files.filter(file -> file.toString().endsWith(".trace.db")).toList());
        }
    }
}
