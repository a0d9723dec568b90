package dev.sofy.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sofy.testing.KeyPair;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/** What a 201 promises: the SMS is committed, even if the process is killed right after. */
final class DurabilityIT {
    private static final KeyPair KEY = new KeyPair("durability-key", "durability-secret-0123456789-abc");
    private static final int SENDERS = 8;
    private static final int KILL_AFTER_ACKNOWLEDGED = 1_000;
    private static final int CHECKERS = 4;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration LONG_LOAD = Duration.ofSeconds(75);

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path directory;

    @Test
    void everySmsAcknowledgedBeforeASigkillIsThereAfterARestart() throws Exception {
        Map<String, String> environment = fastEnvironment();
        HttpClient client = client();

        Senders senders;
        try (ServerProcess server = ServerProcess.start(environment, directory.resolve("first.err"))) {
            senders = new Senders(client, server.baseUri());
            senders.start();
            senders.awaitAcknowledged(KILL_AFTER_ACKNOWLEDGED, Duration.ofSeconds(60), server);
            senders.killAtOnce(server);
            senders.awaitAllStopped();
        }
        assertEquals(List.of(), senders.unexpected(), "every answer before the kill is a 201");
        assertTrue(senders.cutByTheKill() > 0, "the kill must land while requests are in flight");

        Set<String> acknowledged = senders.acknowledged();
        List<String> missing;
        try (ServerProcess restarted = ServerProcess.start(environment, directory.resolve("restarted.err"))) {
            missing = missingAfterRestart(client, restarted.baseUri(), acknowledged);
        }
        senders.report(acknowledged.size(), missing.size());
        assertEquals(List.of(), missing, missing.size() + " of " + acknowledged.size() + " acknowledged SMS");
    }

    /**
     * H2 writes commits into the space of old chunks only once they have been unused for its
     * retention time, 45 s; before that it appends them. A kill after {@link #LONG_LOAD} lands
     * where it reuses space, which is where H2 2.5.252 lost the newest commits (see the pom).
     */
    @Test
    void everySmsAcknowledgedBeforeASigkillAfterMoreThanAMinuteOfLoadIsThereAfterARestart() throws Exception {
        Map<String, String> environment = fastEnvironment();

        Senders senders;
        try (ServerProcess server = ServerProcess.start(environment, directory.resolve("first.err"))) {
            senders = new Senders(client(), server.baseUri());
            senders.start();
            Thread.sleep(LONG_LOAD.toMillis());
            senders.killAtOnce(server);
            senders.awaitAllStopped();
        }
        // The file as the kill left it, before the restart recovers it: kept with the logs if the test fails.
        Files.copy(directory.resolve("sofy.mv.db"), directory.resolve("killed.mv.db"));
        assertEquals(List.of(), senders.unexpected(), "every answer before the kill is a 201");

        try (ServerProcess restarted = ServerProcess.start(environment, directory.resolve("restarted.err"))) {
            restarted.stop();
        }
        Set<String> acknowledged = senders.acknowledged();
        Set<String> stored = storedIds();
        Set<String> missing = new TreeSet<>(acknowledged);
        missing.removeAll(stored);
        senders.report(acknowledged.size(), missing.size());
        // Ids begin with their creation time: whether the missing came last says where to look.
        assertEquals(Set.of(), missing, missing.size() + " of " + acknowledged.size() + " acknowledged SMS; "
                + stored.size() + " stored, the last " + new TreeSet<>(stored).last() + "; server stderr in "
                + directory);
    }

    /** The test sends as fast as it can; the rate limit is not what it is about. */
    private Map<String, String> fastEnvironment() {
        return ServerProcess.environment(directory, KEY,
                "SOFY_DEFAULT_SEND_RATE", "1000000",
                "SOFY_DEFAULT_READ_RATE", "1000000");
    }

    private static HttpClient client() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    /** Every SMS id in the database, read once the restarted server has stopped. */
    private Set<String> storedIds() throws SQLException, IOException {
        Set<String> ids = new HashSet<>();
        try (Connection connection = DriverManager.getConnection("jdbc:h2:file:" + directory.resolve("sofy"), "sa",
                ServerProcess.databasePassword(directory));
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT id FROM sms")) {
            while (rows.next()) {
                ids.add(rows.getString(1));
            }
        }
        return ids;
    }

    @Test
    void onlyTheFirstStartOnAnEmptyDatabasePrintsAKey() throws Exception {
        Map<String, String> environment = Map.of(
                "SOFY_HOST", "127.0.0.1",
                "SOFY_PORT", "0",
                "SOFY_MANAGEMENT_PORT", "0",
                "SOFY_DB_URL", "jdbc:h2:file:" + directory.resolve("sofy"));
        List<String> firstOutput;
        try (ServerProcess first = ServerProcess.start(environment, directory.resolve("first.err"))) {
            first.awaitLine(line -> line.startsWith("X-API-KEY-SECRET: "), Duration.ofSeconds(10));
            firstOutput = first.stop();
        }
        List<String> secondOutput;
        try (ServerProcess second = ServerProcess.start(environment, directory.resolve("second.err"))) {
            // A key would be printed by the thread that printed "listening", at once; SIGTERM lets it
            // run on while the shutdown hook closes the server, so stopping now cannot hide one.
            secondOutput = second.stop();
        }

        assertEquals(2, firstOutput.stream().filter(ApiRequests::showsAKey).count(),
                "one key id and one secret on the first start: " + firstOutput);
        assertEquals(List.of(), secondOutput.stream().filter(ApiRequests::showsAKey).toList(),
                "nothing on the second start");
    }

    /**
     * The ids that a restarted server does not answer 200 for, each with what it answered. The
     * status may have moved on since the acknowledgement (the dispatcher runs): what matters is
     * that the SMS is there.
     */
    private static List<String> missingAfterRestart(HttpClient client, URI baseUri, Set<String> ids)
            throws InterruptedException, ExecutionException {
        ExecutorService checkers = Executors.newFixedThreadPool(CHECKERS);
        try {
            List<Future<String>> answers = new ArrayList<>();
            for (String id : ids) {
                answers.add(checkers.submit(() -> {
                    HttpResponse<String> response =
                            client.send(ApiRequests.getSms(baseUri, KEY, id), HttpResponse.BodyHandlers.ofString());
                    boolean found = response.statusCode() == 200
                            && id.equals(JSON.readTree(response.body()).path("id").asText());
                    return found ? null : id + " -> " + response.statusCode() + " " + response.body();
                }));
            }
            List<String> notPending = new ArrayList<>();
            for (Future<String> answer : answers) {
                String problem = answer.get();
                if (problem != null) {
                    notPending.add(problem);
                }
            }
            return notPending;
        } finally {
            checkers.shutdownNow();
        }
    }

    /**
     * Threads that send SMS back to back until the server dies. Each remembers the ids of the 201s
     * it received, and each stops at its first connection failure.
     */
    private static final class Senders {
        private final HttpClient client;
        private final URI baseUri;
        private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        private final List<String> unexpected = Collections.synchronizedList(new ArrayList<>());
        private final AtomicInteger cutByTheKill = new AtomicInteger();
        private final CountDownLatch killPoint = new CountDownLatch(KILL_AFTER_ACKNOWLEDGED);
        private final List<Thread> threads = new ArrayList<>();
        private final long startedNanos = System.nanoTime();
        private volatile long killedAtNanos = Long.MAX_VALUE;

        Senders(HttpClient client, URI baseUri) {
            this.client = client;
            this.baseUri = baseUri;
        }

        void start() {
            for (int i = 0; i < SENDERS; i++) {
                Thread thread = new Thread(this::sendUntilTheServerDies, "sender-" + i);
                threads.add(thread);
                thread.start();
            }
        }

        void awaitAcknowledged(int count, Duration timeout, ServerProcess server) throws InterruptedException {
            if (!killPoint.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("only " + acknowledged.size() + " of " + count + " SMS acknowledged within "
                        + timeout + "; unexpected answers: " + unexpected + "\nserver stderr:\n" + server.stderr());
            }
        }

        /** SIGKILL while the senders keep going. */
        void killAtOnce(ServerProcess server) throws InterruptedException {
            killedAtNanos = System.nanoTime();
            server.kill();
        }

        void awaitAllStopped() throws InterruptedException {
            for (Thread thread : threads) {
                thread.join(Duration.ofSeconds(30).toMillis());
                if (thread.isAlive()) {
                    throw new AssertionError(thread.getName() + " still runs 30 s after the kill");
                }
            }
        }

        private void sendUntilTheServerDies() {
            var request = ApiRequests.createSms(baseUri, KEY, ApiRequests.VALID_SMS_JSON);
            while (true) {
                long sentAtNanos = System.nanoTime();
                try {
                    HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() == 201) {
                        acknowledged.add(ApiRequests.createdId(response));
                        killPoint.countDown();
                    } else {
                        unexpected.add(response.statusCode() + " " + response.body());
                        return;
                    }
                } catch (IOException e) {
                    if (System.nanoTime() < killedAtNanos) {
                        unexpected.add("failed before the kill: " + e);
                    } else if (sentAtNanos < killedAtNanos) {
                        cutByTheKill.incrementAndGet();
                    }
                    return;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        void report(int acknowledged, int missing) {
            System.out.printf("Durability: %d SMS acknowledged with 201 in %d ms by %d senders before SIGKILL"
                            + " (%d requests cut by it), %d missing after the restart%n",
                    acknowledged, Duration.ofNanos(killedAtNanos - startedNanos).toMillis(), SENDERS,
                    cutByTheKill(), missing);
        }

        Set<String> acknowledged() {
            return Set.copyOf(acknowledged);
        }

        List<String> unexpected() {
            return List.copyOf(unexpected);
        }

        int cutByTheKill() {
            return cutByTheKill.get();
        }
    }
}
