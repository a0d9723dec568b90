package dev.sofy.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sofy.server.config.Config;
import dev.sofy.server.delivery.smpp.SmscSimulator;
import dev.sofy.testing.KeyPair;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.http.HttpClient;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two server nodes with their own node ids on one PostgreSQL database, bound to one SMSC: each SMS
 * is submitted by one of them, once.
 */
final class TwoNodesTest {
    private static final KeyPair KEY = new KeyPair("two-nodes-key", "two-nodes-secret-0123456789-abcd");
    private static final String SYSTEM_ID = "two-nodes";
    private static final String PASSWORD = "secret";
    private static final int SMS_COUNT = 300;
    private static final int SENDERS = 8;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres postgres;

    private final HttpClient client = SmsTestClient.newClient();
    private final List<App> apps = new ArrayList<>();
    private String databaseName;
    private String databaseUrl;
    private SmscSimulator smsc;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = EmbeddedPostgres.start();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    @BeforeEach
    void startSmscAndDatabase() throws Exception {
        databaseName = "two_nodes_" + DATABASES.incrementAndGet();
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + databaseName);
        }
        databaseUrl = postgres.getJdbcUrl("postgres", databaseName);
        smsc = SmscSimulator.start(0, SYSTEM_ID, PASSWORD, Duration.ofMillis(100));
    }

    @AfterEach
    void stopEverything() {
        apps.forEach(App::close);
        if (smsc != null) {
            smsc.close();
        }
    }

    /** A node on the shared database and SMSC, submitting at most {@code submitRate} SMS a second. */
    private App node(String nodeId, int submitRate) {
        Map<String, String> environment = new HashMap<>(Map.of(
                "SOFY_HOST", "127.0.0.1",
                "SOFY_PORT", "0",
                "SOFY_MANAGEMENT_PORT", "0",
                "SOFY_DB_URL", databaseUrl,
                "SOFY_DB_USER", "postgres",
                "SOFY_DB_PASSWORD", "postgres",
                "SOFY_DB_POOL_SIZE", "4",
                "SOFY_NODE_ID", nodeId,
                "SOFY_BOOTSTRAP_KEY_ID", KEY.id(),
                "SOFY_BOOTSTRAP_KEY_SECRET", KEY.secret()));
        environment.putAll(Map.of(
                "SOFY_DEFAULT_SEND_RATE", "1000000",
                "SOFY_DEFAULT_READ_RATE", "1000000",
                "SOFY_SMPP_HOST", smsc.host(),
                "SOFY_SMPP_PORT", String.valueOf(smsc.port()),
                "SOFY_SMPP_SYSTEM_ID", SYSTEM_ID,
                "SOFY_SMPP_PASSWORD", PASSWORD,
                "SOFY_SMPP_SUBMIT_RATE", String.valueOf(submitRate)));
        App app = App.start(Config.from(environment));
        apps.add(app);
        return app;
    }

    @Test
    void smsSentThroughBothNodesAreEachDeliveredAndSubmittedExactlyOnce() throws Exception {
        App nodeA = node("node-a", 5000);
        App nodeB = node("node-b", 5000);
        List<SmsTestClient> both = List.of(
                new SmsTestClient(client, nodeA.baseUri(), KEY), new SmsTestClient(client, nodeB.baseUri(), KEY));

        long started = System.nanoTime();
        Map<String, String> bodies = send(SMS_COUNT, i -> both.get(i % 2), "both nodes");
        both.get(0).awaitAll(bodies.keySet(), SmsTestClient.hasStatus("delivered"), TIMEOUT);
        long tookMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();

        System.out.printf("Two nodes: %d SMS sent through both and delivered in %d ms; SMS handed to its connector"
                        + " by node-a %d, by node-b %d; the SMSC received %d submits%n", SMS_COUNT, tookMillis,
                nodeA.dispatcher().orElseThrow().submitted(), nodeB.dispatcher().orElseThrow().submitted(), smsc.submitCount());
        assertEquals(oncePerBody(bodies), submitsPerText());
    }

    /**
     * The node stops cleanly: it stops claiming, fails what its connector had not sent yet, which
     * frees those SMS at once, and waits for the answers to what it had sent. (A node that crashes
     * keeps its claims until its lease of 5 minutes ends, or until it restarts with the same node id.)
     */
    @Test
    void smsPendingOnANodeThatStopsAreFinishedByTheOtherAndSubmittedExactlyOnce() throws Exception {
        // Node A submits slowly, so that it still holds most of its SMS when it stops.
        App nodeA = node("node-a", 100);
        App nodeB = node("node-b", 5000);
        SmsTestClient throughA = new SmsTestClient(client, nodeA.baseUri(), KEY);

        Map<String, String> bodies = send(SMS_COUNT, i -> throughA, "node a stops");
        Map<String, Long> atTheStop = pendingByClaimant();
        long stopping = System.nanoTime();
        nodeA.close();
        long stopMillis = Duration.ofNanos(System.nanoTime() - stopping).toMillis();
        long submittedByA = nodeA.dispatcher().orElseThrow().submitted();
        new SmsTestClient(client, nodeB.baseUri(), KEY)
                .awaitAll(bodies.keySet(), SmsTestClient.hasStatus("delivered"), TIMEOUT);
        long finishedMillis = Duration.ofNanos(System.nanoTime() - stopping).toMillis();

        System.out.printf("One node stops: %d SMS sent through node-a; pending when it stopped, by claimant: %s;"
                        + " node-a stopped in %d ms; SMS handed to its connector by node-a %d (those it failed as it"
                        + " stopped included), by node-b %d; all delivered %d ms after the stop; the SMSC received"
                        + " %d submits%n",
                SMS_COUNT, atTheStop, stopMillis, submittedByA, nodeB.dispatcher().orElseThrow().submitted(), finishedMillis,
                smsc.submitCount());
        assertTrue(atTheStop.getOrDefault("node-a", 0L) > 0, "node-a must hold pending SMS when it stops: " + atTheStop);
        assertEquals(oncePerBody(bodies), submitsPerText());
    }

    /** Sends {@code count} SMS with distinct bodies, the i-th through {@code nodeFor(i)}; returns the bodies by SMS id. */
    private Map<String, String> send(int count, Function<Integer, SmsTestClient> nodeFor, String label) throws Exception {
        ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
        try {
            List<Future<String>> ids = new ArrayList<>();
            List<String> bodies = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String body = label + " #" + i;
                int index = i;
                bodies.add(body);
                ids.add(senders.submit(() -> nodeFor.apply(index).send("+12025550150", body, true).path("id").asText()));
            }
            Map<String, String> byId = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                byId.put(ids.get(i).get(), bodies.get(i));
            }
            return byId;
        } finally {
            senders.shutdownNow();
        }
    }

    private static Map<String, Long> oncePerBody(Map<String, String> bodies) {
        return bodies.values().stream().collect(Collectors.toMap(body -> body, body -> 1L));
    }

    /** How many submit_sm the SMSC received with each text. */
    private Map<String, Long> submitsPerText() {
        return smsc.received().stream()
                .collect(Collectors.groupingBy(SmscSimulator.ReceivedSubmit::text, Collectors.counting()));
    }

    /** The pending SMS by the node that holds them ("none" when no node does), read from the database. */
    private Map<String, Long> pendingByClaimant() throws Exception {
        Map<String, Long> counts = new LinkedHashMap<>();
        try (Connection connection = postgres.getDatabase("postgres", databaseName).getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("""
                     SELECT COALESCE(claimed_by, 'none') AS claimant, COUNT(*) AS pending FROM sms
                     WHERE status = 'pending' GROUP BY claimed_by ORDER BY claimant""")) {
            while (rows.next()) {
                counts.put(rows.getString("claimant"), rows.getLong("pending"));
            }
        }
        return counts;
    }
}
