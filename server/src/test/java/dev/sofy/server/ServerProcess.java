package dev.sofy.server;

import dev.sofy.testing.KeyPair;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/** The packaged server jar, run as a separate process the way an operator runs it. */
final class ServerProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("Sofy server listening on (http://\\S+)");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final Path stderr;
    private final Thread stdoutReader;
    private final List<String> stdoutLines = new ArrayList<>();
    private boolean stdoutEnded;
    private URI baseUri;
    private String readyLine;

    private ServerProcess(Process process, Path stderr) {
        this.process = process;
        this.stderr = stderr;
        this.stdoutReader = new Thread(this::readStdout, "server-stdout-" + process.pid());
        this.stdoutReader.setDaemon(true);
    }

    /** The jar that {@code mvn package} built; failsafe says where. */
    static Path jar() {
        String jar = System.getProperty("sofy.server.jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("the system property sofy.server.jar must name the packaged server jar,"
                    + " not " + jar + "; run the *IT tests with mvn verify");
        }
        return Path.of(jar);
    }

    /**
     * The settings of a server on a random loopback port, over an H2 file in {@code directory},
     * whose first start creates {@code key}; {@code more} adds name, value pairs.
     */
    static Map<String, String> environment(Path directory, KeyPair key, String... more) {
        Map<String, String> environment = new HashMap<>(Map.of(
                "SOFY_HOST", "127.0.0.1",
                "SOFY_PORT", "0",
                "SOFY_MANAGEMENT_PORT", "0",
                "SOFY_DB_URL", "jdbc:h2:file:" + directory.resolve("sofy"),
                "SOFY_BOOTSTRAP_KEY_ID", key.id(),
                "SOFY_BOOTSTRAP_KEY_SECRET", key.secret()));
        if (more.length % 2 != 0) {
            throw new IllegalArgumentException("settings come in name, value pairs");
        }
        for (int i = 0; i < more.length; i += 2) {
            environment.put(more[i], more[i + 1]);
        }
        return Map.copyOf(environment);
    }

    /** The password that a server generated for its H2 file database in {@code directory}. */
    static String databasePassword(Path directory) throws IOException {
        return Files.readString(directory.resolve("sofy.password"), StandardCharsets.UTF_8).strip();
    }

    /** {@code java -Xmx256m -jar sofy-server.jar args...} with exactly the given {@code SOFY_*} variables. */
    static ProcessBuilder command(Map<String, String> sofyEnvironment, String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", jar().toString()));
        command.addAll(List.of(args));
        var builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(name -> name.startsWith("SOFY_"));
        builder.environment().putAll(sofyEnvironment);
        return builder;
    }

    /** Starts the server and waits until it says where it listens; its stderr goes to {@code stderr}. */
    static ServerProcess start(Map<String, String> sofyEnvironment, Path stderr) throws IOException, InterruptedException {
        ServerProcess server = run(sofyEnvironment, stderr, LISTENING);
        server.baseUri = URI.create(LISTENING.matcher(server.readyLine).replaceFirst("$1"));
        return server;
    }

    /**
     * Runs a command of the jar ({@code args}; none serves) and waits until it prints a line that
     * {@code ready} matches; its stderr goes to {@code stderr}.
     */
    static ServerProcess run(Map<String, String> sofyEnvironment, Path stderr, Pattern ready, String... args)
            throws IOException, InterruptedException {
        Process process = command(sofyEnvironment, args)
                .directory(stderr.getParent().toFile())
                .redirectError(ProcessBuilder.Redirect.to(stderr.toFile()))
                .start();
        var command = new ServerProcess(process, stderr);
        command.stdoutReader.start();
        try {
            command.readyLine = command.awaitLine(line -> ready.matcher(line).matches(), START_TIMEOUT);
            return command;
        } catch (AssertionError | RuntimeException | InterruptedException e) {
            command.close();
            throw e;
        }
    }

    URI baseUri() {
        return baseUri;
    }

    /** The first line of stdout that matches, waiting for it to be printed until the timeout. */
    synchronized String awaitLine(Predicate<String> wanted, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int seen = 0; ; ) {
            for (; seen < stdoutLines.size(); seen++) {
                if (wanted.test(stdoutLines.get(seen))) {
                    return stdoutLines.get(seen);
                }
            }
            if (stdoutEnded) {
                throw new AssertionError("the server's stdout ended before the expected line: "
                        + stdoutLines + "\nstderr:\n" + stderr());
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("the server did not print the expected line within " + timeout + ": "
                        + stdoutLines + "\nstderr:\n" + stderr());
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    /** SIGKILL on Linux: no shutdown hook, no flush, no clean close of the database. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** Stops the server as an operator does (SIGTERM) and returns everything it printed on stdout. */
    List<String> stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the server did not stop within " + STOP_TIMEOUT + " of SIGTERM");
        }
        stdoutReader.join(STOP_TIMEOUT.toMillis());
        synchronized (this) {
            return List.copyOf(stdoutLines);
        }
    }

    String stderr() {
        try {
            return Files.readString(stderr);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }

    private void readStdout() {
        try (var reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                synchronized (this) {
                    stdoutLines.add(line);
                    notifyAll();
                }
            }
        } catch (IOException e) {
            // The process was killed while its output was read: the output simply ends here.
        } finally {
            synchronized (this) {
                stdoutEnded = true;
                notifyAll();
            }
        }
    }
}
