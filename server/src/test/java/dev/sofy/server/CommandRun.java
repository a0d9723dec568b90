package dev.sofy.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One run of a command of the server jar, such as {@code keys create}, to its end. */
record CommandRun(int exitCode, List<String> stdout, String stderr) {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    /** Runs {@code java -jar sofy-server.jar args...}; its output goes through files in {@code directory}. */
    static CommandRun of(Map<String, String> sofyEnvironment, Path directory, String... args)
            throws IOException, InterruptedException {
        Path stdout = Files.createTempFile(directory, "command", ".out");
        Path stderr = Files.createTempFile(directory, "command", ".err");
        Process process = ServerProcess.command(sofyEnvironment, args)
                .directory(directory.toFile())
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile())
                .start();
        if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("sofy-server " + String.join(" ", args) + " did not end within " + TIMEOUT
                    + "\nstderr:\n" + Files.readString(stderr, StandardCharsets.UTF_8));
        }
        return new CommandRun(process.exitValue(), Files.readAllLines(stdout, StandardCharsets.UTF_8),
                Files.readString(stderr, StandardCharsets.UTF_8));
    }

    /** What to show when an assertion on this run fails. */
    String describe() {
        return "exit code " + exitCode + "\nstdout:\n" + String.join("\n", stdout) + "\nstderr:\n" + stderr;
    }
}
