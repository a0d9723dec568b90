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
import java.util.concurrent.CountDownLatch;
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
 * bind. So that the killed node holds claims at the kill, the simulator answers each submit_sm
 * 500 ms late, and the receiver holds every webhook request from the start of that load until
 * just after the kill, then refuses them (503) unrecorded: what the killed node was sending must
 * come again from the survivor. The scenario runs once for the class; each test checks one thing
 * of its outcome.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
final class TwoNodeProcessesIT {
    private static final KeyPair KEY = new KeyPair("two-processes-key", "two-processes-secret-0123456789-abcdef");
    private static final int SEND_RATE = 50;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final int ALTERNATING = 40;
    private static final Duration RATE_LOAD = Duration.ofSeconds(3);
    private static final int KILL_LOAD = 80;
    /** How late the simulator answers each submit_sm: about 10 SMS of the killed node in flight at its death. */
    private static final Duration SUBMIT_DELAY = Duration.ofMillis(500);

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
    /** What the killed node held when it died: SMS not acknowledged by the simulator, and webhook events not sent. */
    private List<String> smsLeftBehind = List.of();
    private long eventsLeftBehind;
    /** Set while the receiver holds the webhook requests it gets, to refuse them unrecorded once released. */
    private volatile CountDownLatch receiverHold;
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
                "--receipt-delay", "500", "--submit-delay", String.valueOf(SUBMIT_DELAY.toMillis()));
        receiver = LoopbackEndpoint.startAnsweringEachAtOnce(this::receive);
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
        receiverHold = new CountDownLatch(1);
        for (int i = 0; i < KILL_LOAD; i++) {
            if (i == KILL_LOAD / 2) {
                first.kill();
                smsLeftBehind = smsClaimedBy("node-a");
                eventsLeftBehind = eventsClaimedBy("node-a");
                CountDownLatch hold = receiverHold;
                receiverHold = null;
                hold.countDown();
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
                        + " final %d ms after the kill, which left %d SMS and %d webhook events claimed; %d of %d status"
                        + " events%n",
                ALTERNATING, SEND_RATE, SEND_RATE * 10 * RATE_LOAD.toSeconds(), offeredSeconds, rateAccepted,
                rateSeconds, rateAccepted / rateSeconds, acknowledgedIds.size(),
                TimeUnit.NANOSECONDS.toMillis(allFinal - killedAt), smsLeftBehind.size(), eventsLeftBehind, expected.stream().filter(events::contains).count(),
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
        Map<String, Long> submits = submitsByDestination().entrySet().stream()
                .filter(entry -> alternatingRecipients.contains("+" + entry.getKey()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
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
    void theKilledNodeHeldSmsClaimedAndUnacknowledgedAtItsDeath() {
        assertTrue(!smsLeftBehind.isEmpty(), "no SMS claimed by the killed node at the kill");
    }

    @Test
    void theKilledNodeHeldWebhookEventsClaimedAndUnsentAtItsDeath() {
        assertTrue(eventsLeftBehind > 0, "no webhook event claimed by the killed node at the kill");
    }

    @Test
    void theSmsTheKilledNodeLeftBehindAreDeliveredByTheSurvivor() {
        Map<String, String> statuses = new TreeMap<>();
        smsLeftBehind.forEach(id -> statuses.put(id, laterOutcome.containsKey(id)
                ? laterOutcome.get(id).path("status").asText() : "not acknowledged"));
        assertEquals(Set.of("delivered"), Set.copyOf(statuses.values()), statuses.toString());
    }

    @Test
    void eachSmsAroundTheKillIsSubmittedOnceOrTwice() throws IOException {
        Map<String, Long> submits = submitsByDestination();
        Map<String, Long> outside = new TreeMap<>();
        for (int i = 0; i < KILL_LOAD; i++) {
            long count = submits.getOrDefault(recipient(3, i).substring(1), 0L);
            if (count < 1 || count > 2) {
                outside.put(recipient(3, i), count);
            }
        }
        assertEquals(Map.of(), outside, "submits by recipient, of those not submitted once or twice");
    }

    @Test
    void theStatusEventsOfBothNodesSmsAllArrive() {
        Set<String> missing = new TreeSet<>(expectedEvents());
        missing.removeAll(events);
        assertEquals(Set.of(), missing);
    }

    /** The submits the simulator accepted, by destination (international digits), from its state file. */
    private Map<String, Long> submitsByDestination() throws IOException {
        return Files.readAllLines(directory.resolve("smsc.state")).stream()
                .map(line -> {
                    try {
                        return SmsTestClient.JSON.readTree(line).path("accepted").path("destination").asText();
                    } catch (IOException e) {
                        return "";
                    }
                })
                .filter(destination -> !destination.isEmpty())
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
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

    /** The ids of the SMS {@code node} claimed and whose lease has not ended, read behind the servers' backs. */
    private List<String> smsClaimedBy(String node) throws Exception {
        try (Connection connection = postgres.getDatabase("postgres", "two_processes").getConnection();
             Statement statement = connection.createStatement();
             var rows = statement.executeQuery("SELECT id FROM sms WHERE status = 'pending' AND claimed_by = '" + node
                     + "' AND claim_expires_at > CURRENT_TIMESTAMP")) {
            List<String> ids = new ArrayList<>();
            while (rows.next()) {
                ids.add(rows.getString(1));
            }
            return ids;
        }
    }

    /** How many webhook events {@code node} claimed and has not sent, whose lease has not ended. */
    private long eventsClaimedBy(String node) throws Exception {
        try (Connection connection = postgres.getDatabase("postgres", "two_processes").getConnection();
             Statement statement = connection.createStatement();
             var rows = statement.executeQuery("SELECT COUNT(*) FROM webhook_delivery WHERE delivered_at IS NULL"
                     + " AND failed_at IS NULL AND claimed_by = '" + node + "' AND claim_expires_at > CURRENT_TIMESTAMP")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** Records the event, or, while the receiver holds, waits for the release and refuses it unrecorded. */
    private int receive(Headers headers, byte[] body) throws IOException {
        CountDownLatch hold = receiverHold;
        if (hold != null) {
            try {
                hold.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 503;
        }
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
