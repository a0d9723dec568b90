package dev.sofy.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sofy.server.delivery.smpp.SmscSimulator;
import dev.sofy.testing.KeyPair;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiPredicate;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL while SMS are in every state, then a restart on the same database under the same node
 * id: every SMS acknowledged before the kill reaches a final status. The SMSC simulator runs inside
 * the server and dies with it, but it keeps what it accepted in its state file beside the database:
 * once the server is back, it delivers the receipts it still owed, so SMS that were {@code sent} at
 * the kill get their receipt. Each ordinary SMS goes to a number of its own, so that the state file
 * tells how often each was submitted: once, or twice for an SMS whose {@code sent} was not
 * committed at the kill (SMPP is at least once).
 *
 * <p>The scenario runs once for the class; each test checks one thing of its outcome.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
final class RestartIT {
    private static final KeyPair KEY = new KeyPair("restart-key", "restart-secret-0123456789-abcdef");
    private static final String NODE_ID = "restart-node";
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Short, so that what lost its receipt ends within the test; long enough that SMS pending at
     * the kill are usually still valid once the server is back (a restart took 7 to 15 s here).
     */
    private static final int VALIDITY_SECONDS = 20;
    /** How long before its validity ends the server must be back for a pending SMS to be delivered for sure. */
    private static final Duration TIME_TO_DELIVER = Duration.ofSeconds(5);
    /** Long enough that SMS sent in the last 1.5 s before the kill are still waiting for their receipt. */
    private static final int RECEIPT_DELAY_MS = 1_500;
    /** Submits a second: slower than the burst, so that SMS queue up for the carrier. */
    private static final int SUBMIT_RATE = 50;
    private static final int BURST_THREADS = 4;
    private static final int BURST_BEFORE_THE_KILL = 60;
    private static final Duration FINAL_DEADLINE = Duration.ofSeconds(45);
    private static final String NO_RECEIPT = "no receipt before the validity period ended";
    private static final String CARRIER_UNAVAILABLE = "expired before sending: carrier unavailable";

    /** What the simulator does with an SMS, by its recipient. */
    enum Recipient {
        /** Delivered; each SMS gets a number of its own, see {@link #ordinaryNumber()}. */
        ORDINARY("+12025550150"),
        NO_RECEIPT("+" + SmscSimulator.NO_RECEIPT_NUMBER),
        THROTTLED("+" + SmscSimulator.THROTTLED_NUMBER),
        REJECTED("+" + SmscSimulator.REJECTED_NUMBER),
        UNDELIVERED("+" + SmscSimulator.UNDELIVERED_NUMBER);

        final String number;

        Recipient(String number) {
            this.number = number;
        }
    }

    /** The state of an SMS: its status, and its reason when it has one. */
    record State(String status, String reason) {
        static State of(JsonNode sms) {
            return new State(sms.path("status").asText(), sms.path("statusReason").asText());
        }

        boolean isFinal() {
            return SmsTestClient.FINAL.contains(status);
        }

        @Override
        public String toString() {
            return reason.isEmpty() ? status : status + " (" + reason + ")";
        }
    }

    @TempDir
    static Path directory;

    private final HttpClient client = SmsTestClient.newClient();
    private final Map<String, Recipient> recipients = new ConcurrentHashMap<>();
    /** The number of each ordinary SMS, each its own. */
    private final Map<String, String> ordinaryNumbers = new ConcurrentHashMap<>();
    private final AtomicInteger ordinaryNumbersGiven = new AtomicInteger();
    /** The message ids the simulator gave, by destination, before the kill and after the restart. */
    private final Map<String, Set<String>> acceptedByDestination = new ConcurrentHashMap<>();
    private Map<String, State> atTheKill;
    private final Map<String, Instant> expiresAt = new ConcurrentHashMap<>();
    private Instant restartedAt;
    private Map<String, State> atTheEnd;

    @BeforeAll
    void killWithSmsInEveryStateThenRestart() throws Exception {
        Map<String, String> environment = ServerProcess.environment(directory, KEY,
                "SOFY_NODE_ID", NODE_ID,
                "SOFY_SMS_VALIDITY_SECONDS", String.valueOf(VALIDITY_SECONDS),
                "SOFY_SIMULATOR_RECEIPT_DELAY_MS", String.valueOf(RECEIPT_DELAY_MS),
                "SOFY_SMPP_SUBMIT_RATE", String.valueOf(SUBMIT_RATE),
                "SOFY_DEFAULT_SEND_RATE", "1000000",
                "SOFY_DEFAULT_READ_RATE", "1000000");
        long killedAt;
        int cutByTheKill;
        try (ServerProcess first = ServerProcess.start(environment, directory.resolve("first.err"))) {
            SmsTestClient api = new SmsTestClient(client, first.baseUri(), KEY);
            // A first wave, given the time to reach final statuses (ordinary SMS delivered).
            List<String> firstWave = new ArrayList<>();
            for (Recipient recipient : Recipient.values()) {
                firstWave.addAll(send(api, recipient, 4));
            }
            api.awaitAll(only(firstWave, Recipient.ORDINARY), SmsTestClient.hasStatus("delivered"),
                    Duration.ofSeconds(20));

            // A second wave: sent, waiting for receipts, at the kill.
            List<String> secondWave = new ArrayList<>();
            for (Recipient recipient : Recipient.values()) {
                secondWave.addAll(send(api, recipient, 4));
            }
            api.awaitAll(only(secondWave, Recipient.ORDINARY), sms -> !sms.path("status").asText().equals("pending"),
                    Duration.ofSeconds(20));
            // A burst faster than the carrier takes SMS: some are still pending at the kill.
            var burst = new Burst(api);
            burst.start();
            burst.awaitAcknowledged(BURST_BEFORE_THE_KILL, Duration.ofSeconds(20));
            killedAt = System.nanoTime();
            cutByTheKill = burst.kill(first);
        }
        atTheKill = readStatesFromTheDatabase();
        readSimulatorState();

        long restarting = System.nanoTime();
        try (ServerProcess restarted = ServerProcess.start(environment, directory.resolve("restarted.err"))) {
            long restartMillis = Duration.ofNanos(System.nanoTime() - restarting).toMillis();
            restartedAt = Instant.now();
            SmsTestClient api = new SmsTestClient(client, restarted.baseUri(), KEY);
            atTheEnd = new LinkedHashMap<>();
            api.poll(recipients.keySet(), SmsTestClient::isFinal, FINAL_DEADLINE)
                    .forEach((id, sms) -> atTheEnd.put(id, State.of(sms)));
            long finalMillis = Duration.ofNanos(System.nanoTime() - killedAt).toMillis();
            System.out.printf("Restart: %d SMS acknowledged before SIGKILL (%d requests cut by it); at the kill %s,"
                            + " by recipient %s; the restart took %d ms; %d ms after the kill %s, by recipient %s%n",
                    recipients.size(), cutByTheKill, countByStatus(atTheKill), byRecipient(atTheKill), restartMillis,
                    finalMillis, countByStatus(atTheEnd), byRecipient(atTheEnd));
        }
        readSimulatorState();
    }

    @Test
    void theKillLandsWithSmsPendingSentAndFinal() {
        Map<String, Long> counts = countByStatus(atTheKill);
        assertEquals(List.of(true, true, true), List.of(counts.containsKey("pending"), counts.containsKey("sent"),
                atTheKill.values().stream().anyMatch(State::isFinal)), "the statuses at the kill: " + counts);
    }

    @Test
    void everySmsAcknowledgedBeforeTheKillReachesAFinalStatusAfterTheRestart() {
        assertEquals(Map.of(), where(atTheEnd, state -> !state.isFinal()));
    }

    @Test
    void smsSentAtTheKillGetTheReceiptTheSimulatorStillOwedOnceTheServerIsBack() {
        Map<String, State> sentAtTheKill = where(atTheKill, state -> state.status().equals("sent"));
        Map<String, String> expected = new TreeMap<>();
        Map<String, String> actual = new TreeMap<>();
        sentAtTheKill.keySet().forEach(id -> {
            expected.put(id, switch (recipients.get(id)) {
                case ORDINARY -> "delivered";
                case UNDELIVERED -> "undelivered";
                default -> "errored (" + NO_RECEIPT + ")";
            });
            State end = atTheEnd.get(id);
            actual.put(id, end.status().equals("errored") ? end.toString() : end.status());
        });

        assertEquals(expected, actual);
    }

    @Test
    void noOrdinarySmsIsSubmittedTwiceUnlessItsSentWasNotCommittedAtTheKill() {
        Map<String, String> unexpected = new TreeMap<>();
        int twice = 0;
        for (var entry : ordinaryNumbers.entrySet()) {
            String id = entry.getKey();
            int submits = acceptedByDestination.getOrDefault(entry.getValue().substring(1), Set.of()).size();
            boolean pendingAtTheKill = atTheKill.get(id).status().equals("pending");
            // a delivered SMS the simulator did not take would make this test vacuous
            boolean delivered = atTheEnd.get(id).status().equals("delivered");
            if (delivered && submits < 1 || submits > (pendingAtTheKill ? 2 : 1)) {
                unexpected.put(id, submits + " submits, " + atTheKill.get(id) + " at the kill");
            }
            if (submits == 2) {
                twice++;
            }
        }
        System.out.printf("Restart: %d of %d ordinary SMS were submitted twice, each pending at the kill%n", twice,
                ordinaryNumbers.size());

        assertEquals(Map.of(), unexpected);
    }

    @Test
    void smsFinalAtTheKillKeepTheirStatus() {
        Map<String, State> finalAtTheKill = where(atTheKill, State::isFinal);

        assertEquals(new TreeMap<>(finalAtTheKill), restrictedTo(atTheEnd, finalAtTheKill));
    }

    @Test
    void ordinarySmsPendingAtTheKillAndStillValidAfterTheRestartAreDelivered() {
        Map<String, State> pending = where(atTheKill, (id, state) -> state.status().equals("pending")
                && recipients.get(id) == Recipient.ORDINARY
                && expiresAt.get(id).isAfter(restartedAt.plus(TIME_TO_DELIVER)));
        System.out.printf("Restart: %d ordinary SMS pending at the kill were valid for %d s more once the server was"
                + " back%n", pending.size(), TIME_TO_DELIVER.toSeconds());
        Map<String, State> expected = new TreeMap<>();
        pending.keySet().forEach(id -> expected.put(id, new State("delivered", "")));

        assertEquals(expected, restrictedTo(atTheEnd, pending));
    }

    @Test
    void throttledSmsPendingAtTheKillEndErroredAsTheCarrierStayedUnavailable() {
        Map<String, State> throttled = where(atTheKill,
                (id, state) -> state.status().equals("pending") && recipients.get(id) == Recipient.THROTTLED);
        Map<String, State> expected = new TreeMap<>();
        throttled.keySet().forEach(id -> expected.put(id, new State("errored", CARRIER_UNAVAILABLE)));

        assertEquals(expected, restrictedTo(atTheEnd, throttled));
    }

    private List<String> send(SmsTestClient api, Recipient recipient, int count) throws IOException, InterruptedException {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String number = recipient == Recipient.ORDINARY ? ordinaryNumber() : recipient.number;
            String id = api.send(number, "Restart test " + recipient + " " + i, true).path("id").asText();
            recipients.put(id, recipient);
            if (recipient == Recipient.ORDINARY) {
                ordinaryNumbers.put(id, number);
            }
            ids.add(id);
        }
        return ids;
    }

    /** A French mobile number no other SMS of the test goes to. */
    private String ordinaryNumber() {
        return "+336" + (10_000_000 + ordinaryNumbersGiven.incrementAndGet());
    }

    /** What the simulator's state file says it accepted: each message id by its destination. */
    private void readSimulatorState() throws IOException {
        Path state = directory.resolve("smsc-simulator-" + NODE_ID + ".state");
        for (String line : Files.readAllLines(state)) {
            JsonNode accepted = JSON.readTree(line).path("accepted");
            if (!accepted.isMissingNode()) {
                acceptedByDestination.computeIfAbsent(accepted.path("destination").asText(),
                        destination -> ConcurrentHashMap.newKeySet()).add(accepted.path("id").asText());
            }
        }
    }

    private List<String> only(List<String> ids, Recipient recipient) {
        return ids.stream().filter(id -> recipients.get(id) == recipient).toList();
    }

    /**
     * The statuses as the kill left them, read from the database file once the process is dead:
     * what a read through the API just before the kill could not pin down.
     */
    private Map<String, State> readStatesFromTheDatabase() throws Exception {
        Map<String, State> states = new LinkedHashMap<>();
        try (Connection connection = DriverManager.getConnection("jdbc:h2:file:" + directory.resolve("sofy"), "sa",
                ServerProcess.databasePassword(directory));
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT id, status, status_reason, expires_at FROM sms")) {
            while (rows.next()) {
                String id = rows.getString("id").trim();
                states.put(id, new State(rows.getString("status"), rows.getString("status_reason")));
                expiresAt.put(id, rows.getObject("expires_at", OffsetDateTime.class).toInstant());
            }
        }
        Map<String, State> acknowledged = new LinkedHashMap<>();
        for (String id : recipients.keySet()) {
            State state = states.get(id);
            if (state == null) {
                throw new AssertionError("SMS " + id + " was acknowledged but is not in the database after the kill");
            }
            acknowledged.put(id, state);
        }
        return acknowledged;
    }

    private static Map<String, State> where(Map<String, State> states, Predicate<State> wanted) {
        return where(states, (id, state) -> wanted.test(state));
    }

    private static Map<String, State> where(Map<String, State> states,
                                            BiPredicate<String, State> wanted) {
        Map<String, State> found = new TreeMap<>();
        states.forEach((id, state) -> {
            if (wanted.test(id, state)) {
                found.put(id, state);
            }
        });
        return found;
    }

    private static Map<String, State> restrictedTo(Map<String, State> states, Map<String, State> ids) {
        return where(states, (id, state) -> ids.containsKey(id));
    }

    private Map<Recipient, Map<String, Long>> byRecipient(Map<String, State> states) {
        Map<Recipient, Map<String, Long>> counts = new java.util.EnumMap<>(Recipient.class);
        states.forEach((id, state) -> counts.computeIfAbsent(recipients.get(id), recipient -> new TreeMap<>())
                .merge(state.toString(), 1L, Long::sum));
        return counts;
    }

    private static Map<String, Long> countByStatus(Map<String, State> states) {
        return states.values().stream()
                .collect(Collectors.groupingBy(State::status, TreeMap::new, Collectors.counting()));
    }

    /**
     * Threads that send ordinary SMS back to back until the server dies, so that the kill lands
     * while requests are in flight and with SMS queued for the carrier. Only the SMS they got a 201
     * for count.
     */
    private final class Burst {
        private final SmsTestClient api;
        private final List<Thread> threads = new ArrayList<>();
        private final AtomicInteger acknowledged = new AtomicInteger();
        private final AtomicInteger cut = new AtomicInteger();
        private final List<String> unexpected = Collections.synchronizedList(new ArrayList<>());
        private volatile boolean killed;

        Burst(SmsTestClient api) {
            this.api = api;
        }

        void start() {
            for (int i = 0; i < BURST_THREADS; i++) {
                int thread = i;
                threads.add(new Thread(() -> sendUntilKilled(thread), "restart-burst-" + i));
            }
            threads.forEach(Thread::start);
        }

        private void sendUntilKilled(int thread) {
            for (int i = 0; ; i++) {
                String number = ordinaryNumber();
                String json = SmsTestClient.smsJson("APITEST", number, "Restart test burst " + thread + "-" + i, true);
                try {
                    String id = api.send(json).path("id").asText();
                    ordinaryNumbers.put(id, number);
                    recipients.put(id, Recipient.ORDINARY);
                    acknowledged.incrementAndGet();
                } catch (IOException e) {
                    if (killed) {
                        cut.incrementAndGet();
                    } else {
                        unexpected.add("failed before the kill: " + e);
                    }
                    return;
                } catch (AssertionError e) {
                    unexpected.add(e.getMessage());
                    return;
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        void awaitAcknowledged(int count, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (acknowledged.get() < count && unexpected.isEmpty()) {
                if (System.nanoTime() - deadline >= 0) {
                    throw new AssertionError("only " + acknowledged.get() + " of " + count
                            + " SMS of the burst acknowledged within " + timeout);
                }
                TimeUnit.MILLISECONDS.sleep(5);
            }
        }

        /** SIGKILL while the threads keep sending; returns how many requests the kill cut. */
        int kill(ServerProcess server) throws InterruptedException {
            killed = true;
            server.kill();
            for (Thread thread : threads) {
                thread.join(Duration.ofSeconds(30).toMillis());
                if (thread.isAlive()) {
                    throw new AssertionError(thread.getName() + " still runs 30 s after the kill");
                }
            }
            if (!unexpected.isEmpty()) {
                throw new AssertionError("the server refused SMS before the kill: " + unexpected);
            }
            return cut.get();
        }
    }
}
