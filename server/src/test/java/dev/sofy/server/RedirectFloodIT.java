package dev.sofy.server;

import dev.sofy.testing.LoopbackEndpoint;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sofy.testing.KeyPair;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A flood of {@code GET /r/{code}} from one client, as a script would send it: 16 connections,
 * each sending its next request as soon as the last is answered, on the packaged server over an
 * H2 file. First 20 s of an unknown code while SMS are sent four a second, then 3 s of a real code
 * from two addresses while an endpoint takes {@code sms.click} events. The server only takes SMS
 * in ({@code SOFY_DISPATCH=false}): what the file gains is the flood's and the new SMS rows', not
 * their delivery's. The scenario runs once
 * for the class; each test checks one thing of its outcome, and the figures are printed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
final class RedirectFloodIT {
    private static final KeyPair KEY = new KeyPair("redirect-flood-key", "redirect-flood-secret-0123456789");
    private static final Duration UNKNOWN_CODE_FLOOD = Duration.ofSeconds(20);
    private static final Duration REAL_CODE_FLOOD = Duration.ofSeconds(3);
    private static final int CONNECTIONS = 16;
    /** Well-formed, and no code the server draws: its codes have 10 characters. */
    private static final String UNKNOWN_CODE_PATH = "/r/Zz9Zz9Zz9Zz9";
    private static final String LONG_URL = "https://www.example.com/promotions/hiver-2026/soldes?utm_source=sms&utm_campaign=flood";
    /** SMS sent one after another before the flood, to warm the server's code up, then to measure. */
    private static final int WARM_UP_SMS = 200;
    private static final int QUIET_SMS = 100;
    /** How often an SMS is sent during the flood: 80 in all. */
    private static final Duration SMS_INTERVAL = Duration.ofMillis(250);
    /** How long the clicks and their events have to arrive once the flood ended, at most. */
    private static final Duration SETTLING = Duration.ofSeconds(10);
    /** How long to wait once they did, for any more to show: the sender records every 100 ms. */
    private static final Duration STRAGGLERS = Duration.ofSeconds(1);

    @TempDir
    static Path directory;

    private ClickReceiver receiver;
    private long databaseGrowth;
    private List<Long> quietNanos;
    private List<Long> floodNanos;
    private Flood.Outcome unknownCodeFlood;
    private long clicksCounted;

    @BeforeAll
    void floodAnUnknownCodeThenARealOne() throws Exception {
        receiver = ClickReceiver.start();
        // The SMS sent one after another to time them must never meet the key's own limit.
        Map<String, String> environment = ServerProcess.environment(directory, KEY,
                "SOFY_WEBHOOKS_ALLOW_PRIVATE", "true", "SOFY_DISPATCH", "false", "SOFY_DEFAULT_SEND_RATE", "1000000");
        HttpClient client = SmsTestClient.newClient();
        try (ServerProcess server = ServerProcess.start(environment, directory.resolve("server.err"))) {
            SmsTestClient api = new SmsTestClient(client, server.baseUri(), KEY);
            HttpResponse<String> registered = api.post("/v1/webhooks",
                    "{\"url\": \"" + receiver.url() + "\", \"events\": [\"sms.click\"]}");
            assertEquals(201, registered.statusCode(), registered.body());
            JsonNode linked = api.send(SmsTestClient.JSON.createObjectNode()
                    .put("from", "APITEST").put("to", "33612345678")
                    .put("body", "Soldes : " + LONG_URL).put("isTransactional", true).toString());
            String linkPath = URI.create(linked.path("links").get(0).path("shortUrl").asText()).getPath();

            sendOneAfterAnother(api, WARM_UP_SMS);
            quietNanos = sendOneAfterAnother(api, QUIET_SMS);
            Path file = directory.resolve("sofy.mv.db");
            long sizeBefore = Files.size(file);
            try (var flood = Flood.start(server.baseUri().getPort(), UNKNOWN_CODE_PATH, CONNECTIONS, "127.0.0.1")) {
                floodNanos = sendPacedFor(api, UNKNOWN_CODE_FLOOD);
                unknownCodeFlood = flood.stop();
            }
            databaseGrowth = Files.size(file) - sizeBefore;

            Flood.Outcome realCodeFlood;
            try (var flood = Flood.start(server.baseUri().getPort(), linkPath, CONNECTIONS, "127.0.0.2", "127.0.0.3")) {
                Thread.sleep(REAL_CODE_FLOOD.toMillis());
                realCodeFlood = flood.stop();
            }
            String linkedId = linked.path("id").asText();
            long deadline = System.nanoTime() + SETTLING.toNanos();
            while ((clicks(api, linkedId) < 2 || receiver.clickEvents.get() < 2) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            Thread.sleep(STRAGGLERS.toMillis());
            clicksCounted = clicks(api, linkedId);

            System.out.printf(Locale.ROOT, "Redirect flood, unknown code, %d connections for %d s: %s;"
                            + " the H2 file grew by %.2f MB (%d to %d bytes)%n",
                    CONNECTIONS, UNKNOWN_CODE_FLOOD.toSeconds(), unknownCodeFlood.describe(UNKNOWN_CODE_FLOOD),
                    databaseGrowth / 1e6, sizeBefore, sizeBefore + databaseGrowth);
            System.out.printf(Locale.ROOT, "POST /v1/sms one at a time: quiet p50 %.2f ms p90 %.2f ms (%d);"
                            + " during the flood p50 %.2f ms p90 %.2f ms (%d)%n",
                    percentile(quietNanos, 50), percentile(quietNanos, 90), quietNanos.size(),
                    percentile(floodNanos, 50), percentile(floodNanos, 90), floodNanos.size());
            System.out.printf(Locale.ROOT, "Redirect flood, real code from 2 addresses, %d connections for %d s: %s;"
                            + " clicks counted %d, sms.click events received %d%n",
                    CONNECTIONS, REAL_CODE_FLOOD.toSeconds(), realCodeFlood.describe(REAL_CODE_FLOOD),
                    clicksCounted, receiver.clickEvents.get());
        }
    }

    @AfterAll
    void stopReceiver() {
        if (receiver != null) {
            receiver.stop();
        }
    }

    @Test
    void aFloodOfAnUnknownCodeGrowsTheDatabaseByLessThan5Megabytes() {
        assertTrue(databaseGrowth < 5_000_000, "the H2 file grew by " + databaseGrowth + " bytes");
    }

    @Test
    void duringTheFloodAnSmsIsAcceptedWithinFiveTimesItsQuietMedianLatency() {
        double quiet = percentile(quietNanos, 50);
        double flooded = percentile(floodNanos, 50);
        assertTrue(flooded < 5 * quiet, String.format(Locale.ROOT,
                "median latency of POST /v1/sms: %.2f ms during the flood, %.2f ms before it", flooded, quiet));
    }

    @Test
    void almostEveryRequestOfTheFloodIsRefusedForTheLimit() {
        long refused = unknownCodeFlood.byStatus().getOrDefault(429, 0L);
        assertTrue(refused >= 0.9 * unknownCodeFlood.answered(), unknownCodeFlood.describe(UNKNOWN_CODE_FLOOD));
    }

    @Test
    void aFloodOfARealCodeFromTwoAddressesCountsOneClickAnAddress() {
        assertEquals(2, clicksCounted);
    }

    @Test
    void aFloodOfARealCodeFromTwoAddressesSendsOneClickEventAnAddress() {
        assertEquals(2, receiver.clickEvents.get());
    }

    private static long clicks(SmsTestClient api, String smsId) throws Exception {
        return api.get(smsId).path("links").get(0).path("clicks").asLong();
    }

    /** Sends {@code count} SMS, each once the last was answered; returns each one's latency. */
    private static List<Long> sendOneAfterAnother(SmsTestClient api, int count) throws Exception {
        List<Long> nanos = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            nanos.add(timedSend(api));
        }
        return nanos;
    }

    /** Sends an SMS every {@link #SMS_INTERVAL} for {@code duration}; returns each one's latency. */
    private static List<Long> sendPacedFor(SmsTestClient api, Duration duration) throws Exception {
        List<Long> nanos = new ArrayList<>();
        long start = System.nanoTime();
        for (long next = start; next - start < duration.toNanos(); next += SMS_INTERVAL.toNanos()) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            nanos.add(timedSend(api));
        }
        return nanos;
    }

    private static long timedSend(SmsTestClient api) throws Exception {
        long start = System.nanoTime();
        api.send("33612345678", "Flood test", true);
        return System.nanoTime() - start;
    }

    /** The percentile of the latencies, in milliseconds. */
    private static double percentile(List<Long> nanos, int percent) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        int index = Math.max(0, (int) Math.ceil(percent / 100.0 * sorted.size()) - 1);
        return sorted.get(index) / 1e6;
    }

    /**
     * Closed-loop GETs of one path over keep-alive connections from the given local addresses, the
     * connections shared out among them; any answer counts, by status.
     */
    private static final class Flood implements AutoCloseable {
        record Outcome(Map<Integer, Long> byStatus, long failures) {
            long answered() {
                return byStatus.values().stream().mapToLong(Long::longValue).sum();
            }

            String describe(Duration duration) {
                return String.format(Locale.ROOT, "%d answers (%.0f/s) by status %s, %d connection failures",
                        answered(), answered() / (double) duration.toSeconds(), byStatus, failures);
            }
        }

        private final ExecutorService threads;
        private final Map<Integer, LongAdder> byStatus = new ConcurrentHashMap<>();
        private final LongAdder failures = new LongAdder();
        private volatile boolean stopping;

        private Flood(int connections) {
            threads = Executors.newFixedThreadPool(connections);
        }

        static Flood start(int port, String path, int connections, String... clients) {
            var flood = new Flood(connections);
            byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < connections; i++) {
                String client = clients[i % clients.length];
                flood.threads.execute(() -> flood.run(port, client, request));
            }
            return flood;
        }

        private void run(int port, String client, byte[] request) {
            while (!stopping) {
                try (var socket = new Socket(InetAddress.getLoopbackAddress(), port, InetAddress.getByName(client), 0)) {
                    socket.setSoTimeout(20_000);
                    OutputStream out = socket.getOutputStream();
                    InputStream in = new BufferedInputStream(socket.getInputStream());
                    while (!stopping) {
                        out.write(request);
                        out.flush();
                        int status = readResponse(in);
                        byStatus.computeIfAbsent(status, any -> new LongAdder()).increment();
                    }
                } catch (IOException e) {
                    failures.increment();
                }
            }
        }

        /** Reads one answer with a Content-Length (as every answer of /r has) and returns its status. */
        private static int readResponse(InputStream in) throws IOException {
            var head = new ByteArrayOutputStream();
            int matched = 0;
            while (matched < 4) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("the server closed the connection");
                }
                head.write(b);
                matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
            }
            String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
            long length = 0;
            for (String line : lines) {
                if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    length = Long.parseLong(line.substring("content-length:".length()).strip());
                } else if (line.toLowerCase(Locale.ROOT).startsWith("transfer-encoding:")) {
                    throw new IOException("an answer without a Content-Length: " + line);
                }
            }
            in.skipNBytes(length);
            return Integer.parseInt(lines[0].split(" ", 3)[1]);
        }

        Outcome stop() throws InterruptedException {
            stopping = true;
            threads.shutdown();
            threads.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
            Map<Integer, Long> counts = new TreeMap<>();
            byStatus.forEach((status, count) -> counts.put(status, count.sum()));
            return new Outcome(counts, failures.sum());
        }

        @Override
        public void close() {
            stopping = true;
            threads.shutdownNow();
        }
    }

    /** A webhook endpoint on 127.0.0.1 that acknowledges every event and counts the clicks. */
    private static final class ClickReceiver {
        final AtomicInteger clickEvents = new AtomicInteger();
        private final LoopbackEndpoint endpoint;

        private ClickReceiver() throws IOException {
            endpoint = LoopbackEndpoint.start((headers, body) -> {
                if ("sms.click".equals(SmsTestClient.JSON.readTree(body).path("type").asText())) {
                    clickEvents.incrementAndGet();
                }
                return 204;
            });
        }

        static ClickReceiver start() throws IOException {
            return new ClickReceiver();
        }

        String url() {
            return endpoint.url();
        }

        void stop() {
            endpoint.close();
        }
    }
}
