package dev.sofy.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sofy.server.config.Config;
import dev.sofy.testing.KeyPair;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The metrics through the whole server, read as Prometheus reads them: the exposition text of the
 * server's registry moves as SMS are accepted, dispatched and delivered, and its labels stay
 * bounded whatever ids and paths the requests carry.
 */
final class MetricsTest {
    private static final KeyPair KEY = new KeyPair("metrics-test-key", "metrics-test-secret-0123456789-ab");
    /** A number outside France: no marketing rule holds its SMS. */
    private static final String RECIPIENT = "+12025550150";
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final Pattern OPERATION = Pattern.compile("operation=\"([^\"]*)\"");
    private static final Set<String> SPEC_OPERATIONS = Set.of("createSms", "listSms", "headListSms", "getSms",
            "headSms", "createWebhook", "listWebhooks", "headListWebhooks", "deleteWebhook", "createOptOut",
            "listOptOuts", "headListOptOuts", "deleteOptOut", "followLink", "headLink");

    private static App start(Map<String, String> settings) {
        var environment = new HashMap<>(Map.of(
                "SOFY_HOST", "127.0.0.1",
                "SOFY_PORT", "0",
                "SOFY_DB_URL", "jdbc:h2:mem:metrics-" + UUID.randomUUID(),
                "SOFY_BOOTSTRAP_KEY_ID", KEY.id(),
                "SOFY_BOOTSTRAP_KEY_SECRET", KEY.secret(),
                "SOFY_SIMULATOR_RECEIPT_DELAY_MS", "0"));
        environment.putAll(settings);
        return App.start(Config.from(environment));
    }

    /** Scrapes until the text satisfies {@code expected}; returns the last scrape either way. */
    private static String awaitScrape(App app, Predicate<String> expected) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        String scrape = app.metrics().scrape();
        while (!expected.test(scrape) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            scrape = app.metrics().scrape();
        }
        return scrape;
    }

    private static Predicate<String> hasLine(String line) {
        return scrape -> scrape.lines().anyMatch(line::equals);
    }

    private static Predicate<String> hasLineStarting(String start) {
        return scrape -> scrape.lines().anyMatch(line -> line.startsWith(start));
    }

    @Test
    void countersMoveAsAnSmsIsAcceptedDispatchedAndDelivered() throws Exception {
        try (App app = start(Map.of())) {
            var api = new SmsTestClient(SmsTestClient.newClient(), app.baseUri(), KEY);
            JsonNode accepted = api.send(RECIPIENT, "Your code is 1234", true);
            api.await(accepted.path("id").asText(), SmsTestClient.hasStatus("delivered"), TIMEOUT);

            String expected = """
                    sofy_sms_accepted_total{transactional="true"} 1.0
                    sofy_sms_status_changes_total{status="sent"} 1.0
                    sofy_sms_status_changes_total{status="delivered"} 1.0
                    sofy_carrier_bound{carrier="simulator"} 1.0
                    sofy_carrier_sessions{carrier="simulator"} 1.0
                    sofy_carrier_submits_total{carrier="simulator",outcome="accepted"} 1.0
                    sofy_carrier_submit_duration_seconds_count{carrier="simulator"} 1
                    sofy_carrier_receipts_total{carrier="simulator",outcome="delivered"} 1.0""";
            String scrape = awaitScrape(app, text -> expected.lines().allMatch(line -> hasLine(line).test(text)));
            for (String line : expected.lines().toList()) {
                assertTrue(hasLine(line).test(scrape), "no line " + line + " in\n" + scrape);
            }
            assertTrue(hasLine("sofy_sms_accepted_total{transactional=\"false\"} 0.0").test(scrape), scrape);
            assertTrue(hasLine("sofy_sms_status_changes_total{status=\"errored\"} 0.0").test(scrape), scrape);
        }
    }

    @Test
    void eachRequestIsTimedByItsOperationMethodAndStatusInAHistogram() throws Exception {
        try (App app = start(Map.of())) {
            var api = new SmsTestClient(SmsTestClient.newClient(), app.baseUri(), KEY);
            api.send(RECIPIENT, "Your code is 1234", true);

            String count = "http_server_requests_seconds_count{method=\"POST\",operation=\"createSms\",status=\"201\"} 1";
            String scrape = awaitScrape(app, hasLine(count));
            assertTrue(hasLine(count).test(scrape), scrape);
            String slowest = "http_server_requests_seconds_bucket{method=\"POST\",operation=\"createSms\",status=\"201\","
                    + "le=\"+Inf\"} 1";
            assertTrue(hasLine(slowest).test(scrape), scrape);
            assertTrue(hasLineStarting("http_server_requests_seconds_bucket{method=\"POST\",operation=\"createSms\","
                    + "status=\"201\",le=\"0.001\"}").test(scrape), scrape);
        }
    }

    @Test
    void problemsAreTimedWithTheirStatusAndUnknownPathsUnderNone() throws Exception {
        try (App app = start(Map.of("SOFY_DISPATCH", "false"))) {
            HttpClient client = SmsTestClient.newClient();
            // A valid id that does not exist: the route matched, the answer is a 404 problem.
            send(client, ApiRequests.getSms(app.baseUri(), KEY, "8_zyfMv7Q_o7ovXviPUu3"));
            send(client, HttpRequest.newBuilder(app.baseUri().resolve("/nothing/here")).GET().build());
            send(client, HttpRequest.newBuilder(app.baseUri().resolve("/v1/sms")).GET().build());

            String notFound = "http_server_requests_seconds_count{method=\"GET\",operation=\"getSms\",status=\"404\"} 1";
            String unknown = "http_server_requests_seconds_count{method=\"GET\",operation=\"none\",status=\"404\"} 1";
            String unauthenticated = "http_server_requests_seconds_count{method=\"GET\",operation=\"listSms\",status=\"401\"} 1";
            String scrape = awaitScrape(app, hasLine(notFound).and(hasLine(unknown)).and(hasLine(unauthenticated)));
            assertTrue(hasLine(notFound).test(scrape), scrape);
            assertTrue(hasLine(unknown).test(scrape), scrape);
            assertTrue(hasLine(unauthenticated).test(scrape), scrape);
        }
    }

    @Test
    void labelsNameNoIdNumberKeyOrPathWhateverTheRequestsCarry() throws Exception {
        try (App app = start(Map.of("SOFY_DISPATCH", "false"))) {
            var api = new SmsTestClient(SmsTestClient.newClient(), app.baseUri(), KEY);
            HttpClient client = SmsTestClient.newClient();
            Set<String> ids = new TreeSet<>();
            for (int i = 0; i < 5; i++) {
                ids.add(api.send(RECIPIENT, "Your code is 1234", true).path("id").asText());
            }
            for (String id : ids) {
                api.get(id);
                send(client, HttpRequest.newBuilder(app.baseUri().resolve("/v1/sms/" + id + "/missing")).GET().build());
            }
            String scrape = awaitScrape(app, hasLine(
                    "http_server_requests_seconds_count{method=\"GET\",operation=\"getSms\",status=\"200\"} 5"));

            for (String id : ids) {
                assertFalse(scrape.contains(id), "an SMS id in the metrics: " + id);
            }
            assertFalse(scrape.contains(RECIPIENT.substring(1)), "a phone number in the metrics");
            assertFalse(scrape.contains(KEY.id()), "a key id in the metrics");
            assertFalse(scrape.contains("/v1/"), "a path in the metrics");
            Set<String> operations = new TreeSet<>();
            Matcher matcher = OPERATION.matcher(scrape);
            while (matcher.find()) {
                operations.add(matcher.group(1));
            }
            operations.removeAll(SPEC_OPERATIONS);
            assertEquals(Set.of("none"), operations, "operations that are not the spec's");
        }
    }

    @Test
    void theBacklogCountsTheSmsWaitingForTheCarrier() throws Exception {
        // Nothing dispatches: what is accepted stays pending.
        try (App app = start(Map.of("SOFY_DISPATCH", "false"))) {
            var api = new SmsTestClient(SmsTestClient.newClient(), app.baseUri(), KEY);
            api.send(RECIPIENT, "Your code is 1234", true);
            api.send(RECIPIENT, "Your code is 5678", true);

            String pending = "sofy_sms_backlog{status=\"pending\"} 2.0";
            String scrape = awaitScrape(app, hasLine(pending));
            assertTrue(hasLine(pending).test(scrape), scrape);
            assertTrue(hasLine("sofy_sms_backlog{status=\"sent\"} 0.0").test(scrape), scrape);
        }
    }

    @Test
    void failedAuthenticationsBeyondTheirLimitCountAsRefusals() throws Exception {
        try (App app = start(Map.of("SOFY_AUTH_FAILURE_RATE", "1", "SOFY_AUTH_FAILURE_BURST", "1",
                "SOFY_DISPATCH", "false"))) {
            HttpClient client = SmsTestClient.newClient();
            var wrong = new KeyPair(KEY.id(), "not-the-secret-0123456789-abcdefgh");
            for (int i = 0; i < 3; i++) {
                send(client, ApiRequests.getSms(app.baseUri(), wrong, "8_zyfMv7Q_o7ovXviPUu3"));
            }
            String scrape = app.metrics().scrape();
            assertTrue(hasLineStarting("sofy_rate_limit_refusals_total{limit=\"failed_authentication\"} 2.0")
                    .or(hasLineStarting("sofy_rate_limit_refusals_total{limit=\"failed_authentication\"} 1.0"))
                    .test(scrape), scrape);
            assertTrue(hasLine("sofy_rate_limit_refusals_total{limit=\"send\"} 0.0").test(scrape), scrape);
        }
    }

    private static HttpResponse<String> send(HttpClient client, HttpRequest request) throws Exception {
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

}
