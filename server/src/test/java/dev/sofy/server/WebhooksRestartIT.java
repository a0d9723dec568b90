package dev.sofy.server;

import dev.sofy.testing.LoopbackEndpoint;
import com.sun.net.httpserver.Headers;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sofy.server.delivery.smpp.SmscSimulator;
import dev.sofy.testing.KeyPair;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The webhook outbox survives a SIGKILL: a receiver refuses every event (503) while the server runs,
 * the server is killed, the receiver comes up, and the restarted server delivers every status event
 * of those SMS. The scenario runs once for the class; each test checks one thing of its outcome.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
final class WebhooksRestartIT {
    private static final KeyPair KEY = new KeyPair("webhooks-restart-key", "webhooks-restart-secret-0123456789");
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** Retries every half second for half a minute, so that none is given up during the test. */
    private static final String RETRY_DELAYS = String.join(",", Collections.nCopies(60, "500ms"));

    /** The recipients the SMS go to, with the status changes each SMS then goes through. */
    private static final Map<String, List<String>> STATUS_CHANGES = Map.of(
            "+12025550150", List.of("sent", "delivered"),
            "+" + SmscSimulator.UNDELIVERED_NUMBER, List.of("sent", "undelivered"),
            "+" + SmscSimulator.EXPIRED_NUMBER, List.of("sent", "undelivered"),
            "+" + SmscSimulator.REJECTED_NUMBER, List.of("errored"));
    private static final int SMS_PER_RECIPIENT = 3;

    @TempDir
    static Path directory;

    private Receiver receiver;
    /** Each expected event as {@code <sms id> <status>}. */
    private final Set<String> expected = new TreeSet<>();

    @BeforeAll
    void refuseEveryEventThenKillThenRestart() throws Exception {
        receiver = Receiver.start();
        Map<String, String> environment = ServerProcess.environment(directory, KEY,
                "SOFY_NODE_ID", "webhooks-node",
                "SOFY_WEBHOOKS_ALLOW_PRIVATE", "true",
                "SOFY_WEBHOOK_RETRY_DELAYS", RETRY_DELAYS);
        var client = SmsTestClient.newClient();
        long killedAt;
        try (ServerProcess first = ServerProcess.start(environment, directory.resolve("first.err"))) {
            SmsTestClient api = new SmsTestClient(client, first.baseUri(), KEY);
            HttpResponse<String> registered = api.post("/v1/webhooks",
                    "{\"url\": \"" + receiver.url() + "\", \"events\": [\"sms.status\"]}");
            if (registered.statusCode() != 201) {
                throw new AssertionError("registering the receiver answered " + registered.statusCode() + " "
                        + registered.body());
            }
            List<String> ids = new ArrayList<>();
            for (var recipient : STATUS_CHANGES.entrySet()) {
                for (int i = 0; i < SMS_PER_RECIPIENT; i++) {
                    String id = api.send(recipient.getKey(), "Webhooks restart test " + i, true).path("id").asText();
                    ids.add(id);
                    recipient.getValue().forEach(status -> expected.add(id + " " + status));
                }
            }
            api.awaitFinal(ids, TIMEOUT);
            await(receiver.refusedIds::size, expected.size(), "distinct events refused while the receiver is down");
            killedAt = System.nanoTime();
            first.kill();
        }
        int refusedAttempts = receiver.refusedAttempts.get();
        receiver.up = true;
        long restarting = System.nanoTime();
        try (ServerProcess restarted = ServerProcess.start(environment, directory.resolve("restarted.err"))) {
            long restartMillis = Duration.ofNanos(System.nanoTime() - restarting).toMillis();
            await(receiver.acceptedIds::size, expected.size(), "distinct events accepted once the receiver is up");
            long allMillis = Duration.ofNanos(System.nanoTime() - killedAt).toMillis();
            System.out.printf("Webhooks restart: %d status events of %d SMS; %d attempts refused (503) before the kill;"
                            + " the restart took %d ms; every event accepted %d ms after the kill, in %d requests%n",
                    expected.size(), STATUS_CHANGES.size() * SMS_PER_RECIPIENT, refusedAttempts, restartMillis,
                    allMillis, receiver.acceptedRequests.get());
        }
    }

    @AfterAll
    void stopReceiver() {
        if (receiver != null) {
            receiver.stop();
        }
    }

    @Test
    void everyStatusEventOfTheSmsArrivesOnceTheReceiverIsUp() {
        assertEquals(expected, new TreeSet<>(receiver.acceptedIds.values()));
    }

    @Test
    void theEventsArriveUnderTheWebhookIdsTheyHadBeforeTheKill() {
        assertEquals(new TreeSet<>(receiver.refusedIds), new TreeSet<>(receiver.acceptedIds.keySet()));
    }

    private static void await(IntSupplier count, int wanted, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (count.getAsInt() < wanted) {
            if (System.nanoTime() - deadline >= 0) {
                throw new AssertionError("only " + count.getAsInt() + " of " + wanted + " " + what + " within " + TIMEOUT);
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    /** A webhook endpoint on 127.0.0.1 that answers 503 until it is up, then 204, and notes what it saw. */
    private static final class Receiver {
        final Set<String> refusedIds = ConcurrentHashMap.newKeySet();
        final AtomicInteger refusedAttempts = new AtomicInteger();
        /** {@code <sms id> <status>} by webhook-id. */
        final Map<String, String> acceptedIds = new ConcurrentHashMap<>();
        final AtomicInteger acceptedRequests = new AtomicInteger();
        volatile boolean up;
        private final LoopbackEndpoint endpoint;

        private Receiver() throws IOException {
            endpoint = LoopbackEndpoint.start(this::answer);
        }

        static Receiver start() throws IOException {
            return new Receiver();
        }

        String url() {
            return endpoint.url();
        }

        private int answer(Headers headers, byte[] body) throws IOException {
            String webhookId = headers.getFirst("webhook-id");
            JsonNode event = SmsTestClient.JSON.readTree(body);
            if (!up) {
                refusedIds.add(webhookId);
                refusedAttempts.incrementAndGet();
                return 503;
            }
            JsonNode sms = event.path("data").path("sms");
            acceptedIds.put(webhookId, sms.path("id").asText() + " " + sms.path("status").asText());
            acceptedRequests.incrementAndGet();
            return 204;
        }

        void stop() {
            endpoint.close();
        }
    }
}
