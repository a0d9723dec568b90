package dev.sofy.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sofy.testing.KeyPair;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sofy-server smsc-simulator} runs the simulator in a process of its own, and a server delivers through it. */
final class SmscSimulatorProcessIT {
    private static final KeyPair KEY = new KeyPair("simulator-process-key", "simulator-process-secret-0123456789");

    @TempDir
    Path directory;

    @Test
    void anSmsSentThroughASimulatorRunAsItsOwnProcessIsDelivered() throws Exception {
        String port = String.valueOf(freeLoopbackPort());
        Pattern ready = Pattern.compile("SMSC simulator ready on 127\\.0\\.0\\.1:" + port);
        try (ServerProcess simulator = ServerProcess.run(Map.of("SOFY_SMPP_PORT", port),
                directory.resolve("simulator.err"), ready, "smsc-simulator");
             ServerProcess server = ServerProcess.start(ServerProcess.environment(directory, KEY,
                     "SOFY_SMPP_HOST", "127.0.0.1",
                     "SOFY_SMPP_PORT", port), directory.resolve("server.err"))) {
            var api = new SmsTestClient(SmsTestClient.newClient(), server.baseUri(), KEY);
            String id = api.send("+12025550150", "Through a simulator of its own", true).path("id").asText();
            Map<String, JsonNode> outcome = api.awaitFinal(List.of(id), Duration.ofSeconds(30));
            assertEquals("delivered", outcome.get(id).path("status").asText(), outcome.toString());
        }
    }

    @Test
    void twoSimulatorsRunSideBySideEachOnItsPortWithItsStateFile() throws Exception {
        String firstPort = String.valueOf(freeLoopbackPort());
        String secondPort = String.valueOf(freeLoopbackPort());
        try (ServerProcess first = simulator(firstPort, "first"); ServerProcess second = simulator(secondPort, "second")) {
            assertEquals(List.of(true, true), List.of(Files.exists(directory.resolve("first.state")),
                    Files.exists(directory.resolve("second.state"))));
        }
    }

    @Test
    void theStateFileOfASimulatorIsReadableByItsUserOnly() throws Exception {
        try (ServerProcess simulator = simulator(String.valueOf(freeLoopbackPort()), "private")) {
            assertEquals("rw-------", PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(directory.resolve("private.state"))));
        }
    }

    @Test
    void aSimulatorKilledWithReceiptsOwedDeliversThemOnceRestarted() throws Exception {
        String port = String.valueOf(freeLoopbackPort());
        Map<String, String> server = ServerProcess.environment(directory, KEY,
                "SOFY_SMPP_HOST", "127.0.0.1",
                "SOFY_SMPP_PORT", port);
        // Due 5 s after the submit: after the kill, and soon after the restart, whose flag does not change it.
        ServerProcess killed = simulator(port, "owing", "--receipt-delay", "5000");
        try (killed; ServerProcess api = ServerProcess.start(server, directory.resolve("server.err"))) {
            var client = new SmsTestClient(SmsTestClient.newClient(), api.baseUri(), KEY);
            String id = client.send("+12025550150", "Owed a receipt", true).path("id").asText();
            client.await(id, SmsTestClient.hasStatus("sent"), Duration.ofSeconds(30));
            killed.kill();
            try (ServerProcess restarted = simulator(port, "owing")) {
                Map<String, JsonNode> outcome = client.awaitFinal(List.of(id), Duration.ofSeconds(30));
                assertEquals("delivered", outcome.get(id).path("status").asText(), outcome.toString());
            }
        }
    }

    @Test
    void aSimulatorWithoutQuerySupportSaysSo() throws Exception {
        try (ServerProcess simulator = simulator(String.valueOf(freeLoopbackPort()), "plain", "--no-query")) {
            assertTrue(simulator.awaitLine(line -> line.endsWith("query_sm refused"), Duration.ofSeconds(5))
                    .startsWith("SMSC simulator plain: state in "));
        }
    }

    @Test
    void aSimulatorGivenASubmitDelayAnswersEachSubmitNoSoonerThanThat() throws Exception {
        String port = String.valueOf(freeLoopbackPort());
        try (ServerProcess simulator = simulator(port, "slow", "--submit-delay", "1500", "--receipt-delay", "5000");
             ServerProcess api = ServerProcess.start(ServerProcess.environment(directory, KEY,
                     "SOFY_SMPP_HOST", "127.0.0.1",
                     "SOFY_SMPP_PORT", port), directory.resolve("server.err"))) {
            var client = new SmsTestClient(SmsTestClient.newClient(), api.baseUri(), KEY);
            // The receipt comes 5 s after the submit: the SMS is seen sent, not already delivered.
            String id = client.send("+12025550150", "Answered late", true).path("id").asText();
            long accepted = System.nanoTime();
            client.await(id, SmsTestClient.hasStatus("sent"), Duration.ofSeconds(30));

            Duration took = Duration.ofNanos(System.nanoTime() - accepted);
            assertTrue(took.compareTo(Duration.ofMillis(1500)) >= 0, "sent after " + took);
        }
    }

    @Test
    void theSimulatorsUsageListsItsSubmitDelay() throws Exception {
        CommandRun run = CommandRun.of(Map.of(), directory, "smsc-simulator", "--help");

        assertTrue(run.stdout().stream().anyMatch(line -> line.strip().startsWith("--submit-delay=MS")), run.describe());
    }

    /** A simulator named {@code name}, its state in {@code <name>.state} of the test's directory. */
    private ServerProcess simulator(String port, String name, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("smsc-simulator", "--port", port, "--name", name,
                "--state-file", directory.resolve(name + ".state").toString()));
        args.addAll(List.of(more));
        Pattern ready = Pattern.compile("SMSC simulator ready on 127\\.0\\.0\\.1:" + port);
        return ServerProcess.run(Map.of(), directory.resolve(name + "-" + System.nanoTime() + ".err"), ready,
                args.toArray(String[]::new));
    }

    private static int freeLoopbackPort() throws IOException {
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
