package dev.sofy.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sofy.server.config.Config;
import dev.sofy.server.delivery.smpp.SmscSimulator;
import dev.sofy.server.delivery.smpp.SmscSimulator.ReceivedSubmit;
import dev.sofy.testing.KeyPair;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Scheduled SMS and cancels against a whole server and its SMSC simulator: a scheduled SMS reaches
 * the carrier within a second after its time and not before; a cancel that races the dispatcher
 * never both cancels an SMS and hands it to the carrier.
 */
class SchedulingEndToEndTest {
    private static final KeyPair KEY = new KeyPair("schedule-e2e-key", "schedule-e2e-secret-0123456789-abc");
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private static App app;
    private static HttpClient http;
    private static SmsTestClient api;

    @BeforeAll
    static void startServer() {
        app = App.start(Config.from(Map.of(
                "SOFY_HOST", "127.0.0.1",
                "SOFY_PORT", "0",
                "SOFY_MANAGEMENT_PORT", "0",
                "SOFY_DB_URL", "jdbc:h2:mem:schedule-" + UUID.randomUUID(),
                "SOFY_BOOTSTRAP_KEY_ID", KEY.id(),
                "SOFY_BOOTSTRAP_KEY_SECRET", KEY.secret(),
                "SOFY_DEFAULT_SEND_RATE", "10000",
                "SOFY_DEFAULT_READ_RATE", "10000",
                "SOFY_SIMULATOR_RECEIPT_DELAY_MS", "0")));
        http = SmsTestClient.newClient();
        api = new SmsTestClient(http, app.baseUri(), KEY);
    }

    @AfterAll
    static void stopServer() {
        if (app != null) {
            app.close();
        }
    }

    private static String scheduled(String body, Instant sendAt) throws Exception {
        ObjectNode json = (ObjectNode) SmsTestClient.JSON.readTree(
                SmsTestClient.smsJson("APITEST", "+12025550123", body, true));
        return api.send(json.put("sendAt", sendAt.toString()).toString()).path("id").asText();
    }

    private static CompletableFuture<HttpResponse<String>> cancel(String id) {
        HttpRequest request = ApiRequests.authenticated(app.baseUri().resolve("/v1/sms/" + id + "/cancel"), KEY)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    private static SmscSimulator simulator() {
        return app.simulator().orElseThrow();
    }

    private static Optional<ReceivedSubmit> received(String body) {
        return simulator().received().stream().filter(submit -> submit.text().equals(body)).findFirst();
    }

    @Test
    void aScheduledSmsReachesTheCarrierWithinASecondAfterItsTimeAndNotBefore() throws Exception {
        String body = "Rendez-vous " + UUID.randomUUID();
        Instant sendAt = Instant.now().plusSeconds(2).truncatedTo(ChronoUnit.MILLIS);
        scheduled(body, sendAt);

        // Seen at the simulator no earlier than it got there: seen before sendAt means sent before it.
        Instant seen = null;
        while (seen == null && Instant.now().isBefore(sendAt.plus(TIMEOUT))) {
            Instant looked = Instant.now();
            if (received(body).isPresent()) {
                seen = looked;
            }
            Thread.sleep(5);
        }

        assertTrue(seen != null && !seen.isBefore(sendAt) && !seen.isAfter(sendAt.plusSeconds(1)),
                "scheduled for " + sendAt + ", seen at the carrier at " + seen);
    }

    @Test
    void aCancelRacingTheDispatcherNeverBothCancelsAndSubmits() throws Exception {
        String run = UUID.randomUUID().toString();
        Instant sendAt = Instant.now().plusSeconds(6).truncatedTo(ChronoUnit.MILLIS);
        // One batch: 300 requests one by one can take longer than the 6 s on a loaded machine.
        ArrayNode messages = SmsTestClient.JSON.createArrayNode();
        for (int i = 0; i < 300; i++) {
            messages.add(((ObjectNode) SmsTestClient.JSON.readTree(
                    SmsTestClient.smsJson("APITEST", "+12025550123", run + " " + i, true))).put("sendAt", sendAt.toString()));
        }
        HttpResponse<String> batch = api.post("/v1/sms/batch",
                SmsTestClient.JSON.createObjectNode().set("messages", messages).toString());
        assertEquals(201, batch.statusCode(), batch.body());
        List<String> ids = new ArrayList<>();
        SmsTestClient.JSON.readTree(batch.body()).path("data").forEach(sms -> ids.add(sms.path("id").asText()));
        List<String> shuffled = new ArrayList<>(ids);
        Collections.shuffle(shuffled);
        // The cancels start just before the SMS fall due, and go on while the dispatcher takes them.
        Thread.sleep(Math.max(0, Duration.between(Instant.now(), sendAt).toMillis() - 20));
        List<CompletableFuture<HttpResponse<String>>> cancels = new ArrayList<>();
        for (String id : shuffled) {
            cancels.add(cancel(id));
        }
        Set<Integer> answers = new HashSet<>();
        cancels.forEach(answer -> answers.add(answer.join().statusCode()));
        Map<String, JsonNode> ended = api.awaitAll(ids, sms -> Set.of("delivered", "undelivered", "errored", "canceled")
                .contains(sms.path("status").asText()), TIMEOUT);
        Set<String> submittedTexts = simulator().received().stream().map(ReceivedSubmit::text)
                .filter(text -> text.startsWith(run)).collect(Collectors.toSet());

        List<String> canceledAndSubmitted = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            if ("canceled".equals(ended.get(ids.get(i)).path("status").asText())
                    && submittedTexts.contains(run + " " + i)) {
                canceledAndSubmitted.add(ids.get(i));
            }
        }
        long canceled = ended.values().stream().filter(sms -> "canceled".equals(sms.path("status").asText())).count();
        assertEquals(List.of(), canceledAndSubmitted, "of " + ids.size() + " SMS, " + canceled + " canceled and "
                + submittedTexts.size() + " submitted; cancels answered " + answers);
    }
}
