package dev.sofy.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sofy.server.account.ApiKey;
import dev.sofy.server.config.Config;
import dev.sofy.testing.KeyPair;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Messages from handsets, from the simulator's deliver_sm through the server's wiring to the API:
 * a reply reaches the account that sent to the number, a STOP reply is also an opt-out.
 */
class InboundEndToEndTest {
    private static final KeyPair KEY = new KeyPair("inbound-e2e-key", "inbound-e2e-secret-0123456789-abc");
    private static App app;
    private static KeyPair otherAccount;
    private static final HttpClient HTTP = SmsTestClient.newClient();

    @BeforeAll
    static void startServer() {
        app = App.start(Config.from(Map.of(
                "SOFY_HOST", "127.0.0.1",
                "SOFY_PORT", "0",
                "SOFY_MANAGEMENT_PORT", "0",
                "SOFY_DB_URL", "jdbc:h2:mem:inbound-" + UUID.randomUUID(),
                "SOFY_BOOTSTRAP_KEY_ID", KEY.id(),
                "SOFY_BOOTSTRAP_KEY_SECRET", KEY.secret(),
                "SOFY_SIMULATOR_RECEIPT_DELAY_MS", "0")));
        ApiKey other = app.keys().create("globex");
        otherAccount = new KeyPair(other.id(), other.secret());
    }

    @AfterAll
    static void stopServer() {
        if (app != null) {
            app.close();
        }
    }

    /** A French mobile number no other test uses. */
    private static String newHandset() {
        // 0612 numbers are mobile numbers; not every 06 range is (0697 is not assigned).
        return "33612" + String.format("%06d", ThreadLocalRandom.current().nextInt(1_000_000));
    }

    private static JsonNode get(KeyPair key, String path) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(ApiRequests.authenticated(app.baseUri().resolve(path), key).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response::body);
        return SmsTestClient.JSON.readTree(response.body());
    }

    private static List<String> texts(KeyPair key, String handset) throws IOException, InterruptedException {
        List<String> texts = new ArrayList<>();
        get(key, "/v1/inbound-sms?from=" + handset).path("data").forEach(inbound -> texts.add(inbound.path("text").asText()));
        return texts;
    }

    @Test
    void aReplyIsListedForTheAccountThatSentToTheNumberAndNotForAnother() throws Exception {
        String handset = newHandset();
        new SmsTestClient(HTTP, app.baseUri(), KEY).send(handset, "Your table for two", true);

        // Returns once the server acknowledged it, that is once it is committed.
        app.simulator().orElseThrow().sendInbound(handset, "36789", "Yes, 8 pm");

        assertEquals(List.of(List.of("Yes, 8 pm"), List.of()), List.of(texts(KEY, handset), texts(otherAccount, handset)));
    }

    @Test
    void aStopReplyIsListedAsInboundAndPutsTheNumberOnTheOptOutList() throws Exception {
        String handset = newHandset();
        new SmsTestClient(HTTP, app.baseUri(), KEY).send(handset, "Nos soldes", false);

        app.simulator().orElseThrow().sendInbound(handset, "36229", "STOP");

        List<String> optedOut = new ArrayList<>();
        get(KEY, "/v1/opt-outs?limit=1000").path("data").forEach(entry -> optedOut.add(entry.path("number").asText()));
        assertEquals(List.of(List.of("STOP"), true), List.of(texts(KEY, handset), optedOut.contains(handset)));
    }
}
