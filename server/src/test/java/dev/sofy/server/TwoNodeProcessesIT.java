package dev.sofy.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.Headers;
import dev.sofy.testing.KeyPair;
import dev.sofy.testing.LoopbackEndpoint;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real server processes on one (embedded) PostgreSQL, bound to one SMSC simulator process,
 * with a webhook receiver. Requests alternate between the nodes; then a key at 50/s is loaded at
 * ten times that through both; then one node is killed with SIGKILL in the middle of the load,
 * and the other delivers what it left behind: claims once their 5 s lease ends, receipts on its own
 * bind. It prints how many claims the kill left (often none: a node submits within milliseconds).
 * The scenario runs once for the class; each test checks one thing of its outcome.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
final class TwoNodeProcessesIT {
    private static final KeyPair KEY = new KeyPair("two-processes-key", "two-processes-secret-0123456789-abcdef");
    private static final int SEND_RATE = 50;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final int ALTERNATING = 40;
    private static final Duration RATE_LOAD = Duration.ofSeconds(3);
    private static final int KILL_LOAD = 80;

    @TempDir
    static Path directory;

    private EmbeddedPostgres postgres;
    private ServerProcess simulator;
    private ServerProcess first;
    private ServerProcess second;
    private LoopbackEndpoint receiver;
    private final HttpClient client = SmsTestClient.newClient();

    /** {@code <sms id> <status>} of each status event the receiver got. */
    private final Set<String> events = ConcurrentHashMap.newKeySet();
    private final List<String> alternatingIds = new ArrayList<>();
    private final List<String> alternatingRecipients = new ArrayList<>();
    private final Map<String, String> alternatingStatusOnFirst = new TreeMap<>();
    private final Map<String, String> alternatingStatusOnSecond = new TreeMap<>();
    private final List<String> acknowledgedIds = Collections.synchronizedList(new ArrayList<>());
    /** What the killed node held when it died: SMS still to submit, and webhook events still to send. */
    private String leftBehind;
    private Map<String, JsonNode> alternatingOutcome;
    private Map<String, JsonNode> laterOutcome;
    private int rateAccepted;
    /** From the first request of the load to its last answer, and to its last request. */
    private double rateSeconds;
    private double offeredSeconds;
    /** Answers of the load other than 201 and 429. */
    private final List<String> unexpected = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    void runTheScenario() throws Exception {
        postgres = EmbeddedPostgres.start();
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE two_processes");
        }
        String smppPort = String.valueOf(freeLoopbackPort());
        simulator = ServerProcess.run(Map.of(), directory.resolve("simulator.err"),
                Pattern.compile("SMSC simulator ready on 127\\.0\\.0\\.1:" + smppPort), "smsc-simulator",
                "--port", smppPort, "--name", "shared", "--state-file", directory.resolve("smsc.state").toString(),
                "--receipt-delay", "500");
        receiver = LoopbackEndpoint.start(this::receive);
        // One after the other: the first start creates the schema and the key.
        first = ServerProcess.start(node("node-a", smppPort), directory.resolve("node-a.err"));
        second = ServerProcess.start(node("node-b", smppPort), directory.resolve("node-b.err"));
        var onFirst = new SmsTestClient(client, first.baseUri(), KEY);
        var onSecond = new SmsTestClient(client, second.baseUri(), KEY);
        HttpResponse<String> registered = onFirst.post("/v1/webhooks",
                "{\"url\": \"" + receiver.url() + "\", \"events\": [\"sms.status\"]}");
        assertEquals(201, registered.statusCode(), registered.body());

        for (int i = 0; i < ALTERNATING; i++) {
            String recipient = recipient(1, i);
            alternatingRecipients.add(recipient);
            alternatingIds.add((i % 2 == 0 ? onFirst : onSecond).send(recipient, "Alternating " + i, true)
                    .path("id").asText());
        }
        alternatingOutcome = onFirst.awaitFinal(alternatingIds, TIMEOUT);
        for (String id : alternatingIds) {
            alternatingStatusOnFirst.put(id, onFirst.get(id).path("status").asText());
            alternatingStatusOnSecond.put(id, onSecond.get(id).path("status").asText());
        }

        TimeUnit.MILLISECONDS.sleep(1500); // the key's bucket fills up again
        loadAtTenTimesTheRate();

        TimeUnit.MILLISECONDS.sleep(1500);
        long pause = TimeUnit.SECONDS.toNanos(1) / (SEND_RATE * 8 / 10);
        for (int i = 0; i < KILL_LOAD; i++) {
            if (i == KILL_LOAD / 2) {
                first.kill();
                leftBehind = claimsOf("node-a");
            }
            SmsTestClient node = i % 2 == 0 && i < KILL_LOAD / 2 ? onFirst : onSecond;
            acknowledgedIds.add(node.send(recipient(3, i), "Through the kill " + i, true).path("id").asText());
            TimeUnit.NANOSECONDS.sleep(pause);
        }
        long killedAt = System.nanoTime();
        laterOutcome = onSecond.awaitFinal(acknowledgedIds, TIMEOUT);
        long allFinal = System.nanoTime();
        Set<String> expected = expectedEvents();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!events.containsAll(expected) && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(50);
        }
        System.out.printf("Two nodes: %d SMS alternating; a key at %d/s offered %d requests in %.2f s through both nodes:"
                        + " %d accepted in %.2f s (%.1f/s); %d SMS acknowledged in all after the alternating ones, all"
                        + " final %d ms after the kill, which left %s; %d of %d status events%n",
                ALTERNATING, SEND_RATE, SEND_RATE * 10 * RATE_LOAD.toSeconds(), offeredSeconds, rateAccepted,
                rateSeconds, rateAccepted / rateSeconds, acknowledgedIds.size(),
                TimeUnit.NANOSECONDS.toMillis(allFinal - killedAt), leftBehind, expected.stream().filter(events::contains).count(),
                expected.size());
    }

    @AfterAll
    void stopEverything() throws Exception {
        for (ServerProcess process : new ServerProcess[] {second, first, simulator}) {
            if (process != null) {
                process.close();
            }
        }
        if (receiver != null) {
            receiver.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void everySmsSentAlternatelyThroughTheNodesIsDelivered() {
        assertEquals(Set.of("delivered"), statuses(alternatingOutcome), alternatingOutcome.toString());
    }

    @Test
    void everySmsIsReadableFromBothNodesAlike() {
        assertEquals(alternatingStatusOnFirst, alternatingStatusOnSecond);
    }

    @Test
    void eachSmsIsSubmittedToTheSimulatorOnce() throws IOException {
        Map<String, Long> submits = Files.readAllLines(directory.resolve("smsc.state")).stream()
                .map(line -> {
                    try {
                        return SmsTestClient.JSON.readTree(line).path("accepted").path("destination").asText();
                    } catch (IOException e) {
                        return "";
                    }
                })
                .filter(destination -> alternatingRecipients.contains("+" + destination))
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        assertEquals(Set.of(1L), Set.copyOf(submits.values()), submits.toString());
        assertEquals(ALTERNATING, submits.size(), submits.toString());
    }

    @Test
    void aKeysLimitHoldsForBothNodesTogether() {
        double allowed = SEND_RATE * rateSeconds;
        assertTrue(rateAccepted >= allowed * 0.9 && rateAccepted <= allowed * 1.1 + SEND_RATE,
                rateAccepted + " accepted in " + rateSeconds + " s at " + SEND_RATE + "/s");
    }

    @Test
    void aKeyOverItsLimitIsRefusedWith429Only() {
        assertEquals(List.of(), unexpected);
    }

    @Test
    void everySmsAcknowledgedByEitherNodeAroundTheKillIsDelivered() {
        assertEquals(Set.of("delivered"), statuses(laterOutcome), laterOutcome.toString());
    }

    @Test
    void theStatusEventsOfBothNodesSmsAllArrive() {
        Set<String> missing = new TreeSet<>(expectedEvents());
        missing.removeAll(events);
        assertEquals(Set.of(), missing);
    }

    private Set<String> expectedEvents() {
        Set<String> expected = new TreeSet<>();
        List<String> ids = new ArrayList<>(alternatingIds);
        ids.addAll(acknowledgedIds);
        for (String id : ids) {
            expected.add(id + " sent");
            expected.add(id + " delivered");
        }
        return expected;
    }

    /**
     * Ten times the key's rate for {@link #RATE_LOAD}, requests alternating between the nodes; the
     * accepted SMS join those that must be delivered.
     */
    private void loadAtTenTimesTheRate() throws Exception {
        int requests = (int) (SEND_RATE * 10 * RATE_LOAD.toSeconds());
        long interval = RATE_LOAD.toNanos() / requests;
        // Asynchronous: the load offered stays ten times the rate however long the answers take.
        List<CompletableFuture<Boolean>> answers = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < requests; i++) {
            long wait = start + i * interval - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            ServerProcess node = i % 2 == 0 ? first : second;
            String json = SmsTestClient.smsJson("APITEST", recipient(2, i), "At ten times the rate " + i, true);
            answers.add(client.sendAsync(ApiRequests.createSms(node.baseUri(), KEY, json),
                    HttpResponse.BodyHandlers.ofString()).thenApply(this::accepted));
        }
        offeredSeconds = (System.nanoTime() - start) / 1e9;
        int accepted = 0;
        for (CompletableFuture<Boolean> answer : answers) {
            accepted += answer.get() ? 1 : 0;
        }
        rateSeconds = (System.nanoTime() - start) / 1e9;
        rateAccepted = accepted;
    }

    /** Whether the SMS was accepted (201), which then joins those that must be delivered; else a 429. */
    private boolean accepted(HttpResponse<String> response) {
        if (response.statusCode() != 201) {
            if (response.statusCode() != 429) {
                unexpected.add(response.statusCode() + " " + response.body());
            }
            return false;
        }
        try {
            acknowledgedIds.add(SmsTestClient.JSON.readTree(response.body()).path("id").asText());
        } catch (IOException e) {
            unexpected.add("unreadable 201: " + response.body());
        }
        return true;
    }

    private Map<String, String> node(String id, String smppPort) {
        return ServerProcess.environment(directory, KEY,
                "SOFY_DB_URL", postgres.getJdbcUrl("postgres", "two_processes"),
                "SOFY_DB_USER", "postgres",
                "SOFY_DB_PASSWORD", "postgres",
                "SOFY_NODE_ID", id,
                "SOFY_SMPP_HOST", "127.0.0.1",
                "SOFY_SMPP_PORT", smppPort,
                "SOFY_CLAIM_LEASE", "5s",
                "SOFY_RECEIPT_QUERY_AFTER", "5s",
                "SOFY_DEFAULT_SEND_RATE", String.valueOf(SEND_RATE),
                "SOFY_DEFAULT_READ_RATE", "1000000",
                "SOFY_WEBHOOKS_ALLOW_PRIVATE", "true",
                "SOFY_WEBHOOK_TIMEOUT", "2s",
                "SOFY_WEBHOOK_RETRY_DELAYS", String.join(",", Collections.nCopies(60, "500ms")));
    }

    /** The claims of {@code node} whose lease has not ended, read behind the servers' backs. */
    private String claimsOf(String node) throws Exception {
        try (Connection connection = postgres.getDatabase("postgres", "two_processes").getConnection();
             Statement statement = connection.createStatement()) {
            return count(statement, "SELECT COUNT(*) FROM sms WHERE status = 'pending' AND claimed_by = '" + node
                    + "' AND claim_expires_at > CURRENT_TIMESTAMP") + " SMS and "
                    + count(statement, "SELECT COUNT(*) FROM webhook_delivery WHERE delivered_at IS NULL AND failed_at"
                    + " IS NULL AND claimed_by = '" + node + "' AND claim_expires_at > CURRENT_TIMESTAMP")
                    + " webhook events claimed";
        }
    }

    private static long count(Statement statement, String sql) throws Exception {
        try (var rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private int receive(Headers headers, byte[] body) throws IOException {
        JsonNode sms = SmsTestClient.JSON.readTree(body).path("data").path("sms");
        events.add(sms.path("id").asText() + " " + sms.path("status").asText());
        return 204;
    }

    /** A French mobile number of its own for each SMS of each phase, so that submits can be counted. */
    private static String recipient(int phase, int index) {
        return String.format("+33612%d%05d", phase, index);
    }

    private static Set<String> statuses(Map<String, JsonNode> outcome) {
        return outcome.values().stream().map(sms -> sms.path("status").asText()).collect(Collectors.toSet());
    }

    private static int freeLoopbackPort() throws IOException {
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
