package dev.sofy.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sofy.server.account.ApiKey;
import dev.sofy.server.config.Config;
import dev.sofy.server.delivery.smpp.SmscSimulator;
import dev.sofy.testing.KeyPair;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server with a carriers file and three SMSC simulators: SMS go by their route, to the next
 * carrier of the route when the first is down or throttles, and end delivered by the receipts of
 * whichever carrier took them.
 */
final class SeveralCarriersTest {
    private static final KeyPair KEY = new KeyPair("carriers-key", "carriers-secret-0123456789-abcdef");
    private static final String MAINLAND_MOBILE = "+33612345678";
    private static final String AMERICAN_NUMBER = "+12025550150";
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @TempDir
    Path directory;

    private final List<AutoCloseable> closing = new ArrayList<>();
    private SmscSimulator mainland;
    private SmscSimulator fallback;
    private SmscSimulator premium;
    private App app;
    private SmsTestClient api;

    @BeforeEach
    void startSimulators() throws IOException {
        mainland = simulator("mainland");
        fallback = simulator("fallback");
        premium = simulator("premium");
    }

    private SmscSimulator simulator(String systemId) throws IOException {
        SmscSimulator simulator = SmscSimulator.start(0, systemId, "secret", Duration.ZERO);
        closing.add(simulator);
        return simulator;
    }

    @AfterEach
    void stopEverything() throws Exception {
        if (app != null) {
            app.close();
        }
        for (AutoCloseable resource : closing) {
            resource.close();
        }
    }

    private static String carrier(String name, SmscSimulator simulator) {
        return """
                  - name: %s
                    host: 127.0.0.1
                    port: %d
                    systemId: %s
                    password: secret
                """.formatted(name, simulator.port(), name);
    }

    private void startServer() throws IOException {
        Path file = directory.resolve("carriers.yaml");
        Files.writeString(file, "carriers:\n" + carrier("mainland", mainland) + carrier("fallback", fallback)
                + carrier("premium", premium) + """
                routes:
                  - accounts: [acme]
                    carriers: [premium]
                  - senders: [BANK]
                    carriers: [premium]
                  - prefixes: ["33", "590"]
                    carriers: [mainland, fallback]
                  - carriers: [fallback]
                """);
        Map<String, String> environment = new HashMap<>(Map.of(
                "SOFY_HOST", "127.0.0.1",
                "SOFY_PORT", "0",
                "SOFY_MANAGEMENT_PORT", "0",
                "SOFY_DB_URL", "jdbc:h2:mem:carriers-" + UUID.randomUUID(),
                "SOFY_BOOTSTRAP_KEY_ID", KEY.id(),
                "SOFY_BOOTSTRAP_KEY_SECRET", KEY.secret(),
                "SOFY_CARRIERS_FILE", file.toString()));
        app = App.start(Config.from(environment));
        api = new SmsTestClient(SmsTestClient.newClient(), app.baseUri(), KEY);
    }

    /** Sends an SMS and waits until it is delivered; returns it then. */
    private JsonNode delivered(SmsTestClient client, String from, String to) throws Exception {
        JsonNode accepted = client.send(SmsTestClient.smsJson(from, to, "Code " + UUID.randomUUID(), true));
        return client.await(accepted.path("id").asText(), SmsTestClient.hasStatus("delivered"), TIMEOUT);
    }

    private static List<Long> submitCounts(SmscSimulator... simulators) {
        List<Long> counts = new ArrayList<>();
        for (SmscSimulator simulator : simulators) {
            counts.add(simulator.submitCount());
        }
        return counts;
    }

    @Test
    void anSmsToAPrefixOfARouteGoesToItsFirstCarrier() throws Exception {
        startServer();

        JsonNode sms = delivered(api, "APITEST", MAINLAND_MOBILE);

        assertEquals("mainland", sms.path("carrier").asText(), sms.toString());
        assertEquals(List.of(1L, 0L, 0L), submitCounts(mainland, fallback, premium));
    }

    @Test
    void anSmsNoOtherRouteMatchesTakesTheDefaultRoute() throws Exception {
        startServer();

        JsonNode sms = delivered(api, "APITEST", AMERICAN_NUMBER);

        assertEquals("fallback", sms.path("carrier").asText(), sms.toString());
        assertEquals(List.of(0L, 1L, 0L), submitCounts(mainland, fallback, premium));
    }

    @Test
    void anSmsOfAnAccountWithItsOwnRouteGoesByIt() throws Exception {
        startServer();
        ApiKey acme = app.keys().create("acme");
        var acmeApi = new SmsTestClient(SmsTestClient.newClient(), app.baseUri(), new KeyPair(acme.id(), acme.secret()));

        JsonNode sms = delivered(acmeApi, "APITEST", MAINLAND_MOBILE);

        assertEquals("premium", sms.path("carrier").asText(), sms.toString());
        assertEquals(List.of(0L, 0L, 1L), submitCounts(mainland, fallback, premium));
    }

    @Test
    void anSmsFromASenderWithItsOwnRouteGoesByIt() throws Exception {
        startServer();

        JsonNode sms = delivered(api, "BANK", MAINLAND_MOBILE);

        assertEquals("premium", sms.path("carrier").asText(), sms.toString());
        assertEquals(List.of(0L, 0L, 1L), submitCounts(mainland, fallback, premium));
    }

    @Test
    void whenTheFirstCarrierIsDownTheNextOneTakesTheSmsAndItsReceiptIsApplied() throws Exception {
        startServer();
        mainland.close();

        JsonNode sms = delivered(api, "APITEST", MAINLAND_MOBILE);

        assertEquals("fallback", sms.path("carrier").asText(), sms.toString());
        assertEquals(1L, fallback.submitCount());
    }

    @Test
    void whenTheFirstCarrierThrottlesTheNextOneTakesTheSmsAndItsReceiptIsApplied() throws Exception {
        startServer();
        mainland.throttleAll(true);

        long started = System.nanoTime();
        JsonNode sms = delivered(api, "APITEST", MAINLAND_MOBILE);
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertEquals("fallback", sms.path("carrier").asText(), sms.toString() + " after " + took);
        assertEquals(List.of(1L, 1L), submitCounts(mainland, fallback));
    }

    @Test
    void whenTheFirstCarrierStallsTheNextOneTakesTheSmsWithinTenSeconds() throws Exception {
        startServer();
        mainland.holdSubmits();
        try {
            long started = System.nanoTime();
            JsonNode sms = delivered(api, "APITEST", MAINLAND_MOBILE);
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertEquals("fallback", sms.path("carrier").asText(), sms.toString() + " after " + took);
            assertTrue(took.compareTo(Duration.ofSeconds(10)) < 0, "failover took " + took);
        } finally {
            mainland.releaseSubmits();
        }
    }
}
