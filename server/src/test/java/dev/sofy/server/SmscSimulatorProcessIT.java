package dev.sofy.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sofy.testing.KeyPair;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
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

    private static int freeLoopbackPort() throws IOException {
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
