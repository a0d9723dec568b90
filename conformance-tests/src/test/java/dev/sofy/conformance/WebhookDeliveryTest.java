package dev.sofy.conformance;

import static dev.sofy.conformance.Answers.assertStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sofy.client.model.SmsCreateRequest;
import dev.sofy.testing.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Events reach a real endpoint on 127.0.0.1, as the spec's {@code event} callback says: each
 * request is checked against that callback ({@link CallbackValidator}) before a test looks at it,
 * signed per Standard Webhooks 1.0 (checked with the suite's own {@link StandardWebhooks}),
 * retried until acknowledged, and never sent to another account's endpoint. Each test acts as a
 * new account, so that its endpoints see only its own SMS.
 */
@ExtendWith(ConformanceExtension.class)
final class WebhookDeliveryTest {
    private static final String STATUS = "sms.status";
    private static final String CLICK = "sms.click";
    /** How far a signature's timestamp may be from now, as Standard Webhooks verifiers allow. */
    private static final Duration TIMESTAMP_TOLERANCE = Duration.ofMinutes(5);

    private final ServerUnderTest server;
    private final CallbackValidator callback;

    WebhookDeliveryTest(ServerUnderTest server, CallbackValidator callback) {
        this.server = server;
        this.callback = callback;
    }

    @BeforeEach
    void endpointsOnLoopbackAreAllowed() {
        server.assumeSuiteSettings();
    }

    /** Registers the receiver for these events; returns the endpoint, with its secret. */
    private JsonNode register(KeyPair key, WebhookReceiver receiver, String... events) {
        String list = Set.of(events).stream().map(event -> "\"" + event + "\"").collect(Collectors.joining(","));
        Exchange created = server.send(RawRequest.post("/v1/webhooks").key(key)
                .json("{\"url\":\"" + receiver.url() + "\",\"events\":[" + list + "]}"), SpecCheck.requestAndResponse());
        assertStatus(201, created);
        return created.responseJson();
    }

    private String send(KeyPair key, String body) throws Exception {
        return server.client(key).sms().createSms(
                new SmsCreateRequest().from("APITEST").to(Lifecycle.ORDINARY_NUMBER).body(body), null).getId();
    }

    /** The receiver's requests once {@code done} holds, each checked against the spec's callback first. */
    private List<WebhookReceiver.Request> await(WebhookReceiver receiver, String what,
                                                Predicate<List<WebhookReceiver.Request>> done) throws Exception {
        return Eventually.await(what, () -> conforming(receiver.requests()), done);
    }

    private List<WebhookReceiver.Request> conforming(List<WebhookReceiver.Request> requests) {
        requests.forEach(request -> callback.assertConforms(request.headers(), request.body()));
        return requests;
    }

    /** Waits for the acknowledged status events of an SMS until it has these statuses. */
    private List<WebhookReceiver.Request> awaitStatuses(WebhookReceiver receiver, String smsId, String... statuses)
            throws Exception {
        return await(receiver, "the events " + List.of(statuses) + " of SMS " + smsId,
                requests -> statusesAcknowledged(requests, smsId).containsAll(List.of(statuses)));
    }

    private static Set<String> statusesAcknowledged(List<WebhookReceiver.Request> requests, String smsId) {
        return statusEventsOf(requests, smsId).stream().filter(WebhookReceiver.Request::acknowledged)
                .map(WebhookReceiver.Request::smsStatus).collect(Collectors.toSet());
    }

    private static List<WebhookReceiver.Request> statusEventsOf(List<WebhookReceiver.Request> requests, String smsId) {
        return requests.stream().filter(request -> STATUS.equals(request.type()) && smsId.equals(request.smsId())).toList();
    }

    private static List<WebhookReceiver.Request> clicks(List<WebhookReceiver.Request> requests) {
        return requests.stream().filter(request -> CLICK.equals(request.type())).toList();
    }

    /** Sends an SMS with a long URL, waits until it is delivered, and follows its short link once. */
    private String sendAndClick(KeyPair key) throws Exception {
        String id = send(key, "Nos soldes : " + LinksTest.LONG_URL);
        Lifecycle.awaitStatus(server, key, id, "delivered");
        JsonNode sms = server.send(RawRequest.get("/v1/sms/" + id).key(key), SpecCheck.requestAndResponse()).responseJson();
        assertStatus(302, LinksTest.follow(server, sms.path("links").get(0).path("shortUrl").asText()));
        return id;
    }

    @Test
    void anEndpointGetsTheSentAndDeliveredEventsOfAnSmsInSequenceOrder() throws Exception {
        KeyPair key = server.freshAccountKey();
        try (WebhookReceiver receiver = WebhookReceiver.answering(200)) {
            register(key, receiver, STATUS);

            String id = send(key, "Hello world");

            List<WebhookReceiver.Request> events = statusEventsOf(awaitStatuses(receiver, id, "sent", "delivered"), id);
            List<String> bySequence = events.stream().sorted(Comparator.comparingLong(WebhookReceiver.Request::sequence))
                    .map(WebhookReceiver.Request::smsStatus).distinct().toList();
            assertEquals(List.of("sent", "delivered"), bySequence);
        }
    }

    @Test
    void aCanceledSmsHasAStatusEventThatSaysSoAndConformsToTheCallback() throws Exception {
        KeyPair key = server.freshAccountKey();
        try (WebhookReceiver receiver = WebhookReceiver.answering(200)) {
            register(key, receiver, STATUS);
            String id = server.client(key).sms().createSms(new SmsCreateRequest().from("APITEST")
                    .to(Lifecycle.ORDINARY_NUMBER).body("Hello").sendAt(OffsetDateTime.now(ZoneOffset.UTC).plusHours(1)),
                    null).getId();

            server.client(key).sms().cancelSms(id);

            assertEquals(List.of("canceled"), statusEventsOf(awaitStatuses(receiver, id, "canceled"), id).stream()
                    .map(WebhookReceiver.Request::smsStatus).distinct().toList());
        }
    }

    @Test
    void statusAndClickEventsConformToTheSpecsCallback() throws Exception {
        KeyPair key = server.freshAccountKey();
        try (WebhookReceiver receiver = WebhookReceiver.answering(200)) {
            register(key, receiver, STATUS, CLICK);
            String id = sendAndClick(key);

            List<WebhookReceiver.Request> requests = Eventually.await("the status and click events of SMS " + id,
                    receiver::requests, all -> statusesAcknowledged(all, id).contains("delivered") && !clicks(all).isEmpty());

            assertEquals(Set.of(STATUS, CLICK), requests.stream().map(WebhookReceiver.Request::type).collect(Collectors.toSet()));
            for (WebhookReceiver.Request request : requests) {
                callback.assertConforms(request.headers(), request.body());
            }
        }
    }

    @Test
    void everyEventIsSignedPerStandardWebhooksWithTheEndpointsSecret() throws Exception {
        KeyPair key = server.freshAccountKey();
        try (WebhookReceiver receiver = WebhookReceiver.answering(200)) {
            String secret = register(key, receiver, STATUS).path("secret").asText();

            String id = send(key, "Hello world");

            Instant now = Instant.now();
            for (WebhookReceiver.Request request : awaitStatuses(receiver, id, "sent", "delivered")) {
                String timestamp = request.header("webhook-timestamp");
                assertTrue(StandardWebhooks.verifies(secret, request.webhookId(), timestamp, request.body(),
                        request.header("webhook-signature")), () -> "not signed with the endpoint's secret: " + request);
                Duration skew = Duration.between(Instant.ofEpochSecond(Long.parseLong(timestamp)), now).abs();
                assertTrue(skew.compareTo(TIMESTAMP_TOLERANCE) < 0, "signed " + skew + " away from now");
            }
        }
    }

    @Test
    void anEndpointThatFailsFiveTimesStillGetsEveryEvent() throws Exception {
        KeyPair key = server.freshAccountKey();
        try (WebhookReceiver receiver = WebhookReceiver.failingFirst(5, 500)) {
            register(key, receiver, STATUS);

            String id = send(key, "Hello world");

            List<WebhookReceiver.Request> events = statusEventsOf(awaitStatuses(receiver, id, "sent", "delivered"), id);
            assertTrue(events.size() >= 7, () -> "five failures and two events, yet " + events.size() + " requests");
            assertEquals(2, events.stream().map(WebhookReceiver.Request::webhookId).distinct().count(),
                    () -> "webhook-ids: " + events.stream().map(WebhookReceiver.Request::webhookId).toList());
        }
    }

    @Test
    void aRetriedEventKeepsItsWebhookId() throws Exception {
        KeyPair key = server.freshAccountKey();
        try (WebhookReceiver receiver = WebhookReceiver.failingFirst(5, 500)) {
            register(key, receiver, STATUS);

            String id = send(key, "Hello world");

            Map<String, Set<String>> idsByStatus = statusEventsOf(awaitStatuses(receiver, id, "sent", "delivered"), id)
                    .stream().collect(Collectors.groupingBy(WebhookReceiver.Request::smsStatus,
                            Collectors.mapping(WebhookReceiver.Request::webhookId, Collectors.toSet())));
            assertEquals(1, idsByStatus.get("sent").size(), idsByStatus::toString);
            assertEquals(1, idsByStatus.get("delivered").size(), idsByStatus::toString);
        }
    }

    /** The suite retries after 100 ms; the endpoint asks for 2 s. */
    @Test
    void anEndpointThatAsksToBeCalledLaterIsNotCalledAgainBeforeThen() throws Exception {
        KeyPair key = server.freshAccountKey();
        var later = new WebhookReceiver.Answer(503, Map.of("Retry-After", "2"));
        try (WebhookReceiver receiver = WebhookReceiver.answeringFirst(later)) {
            register(key, receiver, STATUS);

            String id = send(key, "Hello world");

            List<WebhookReceiver.Request> events = statusEventsOf(awaitStatuses(receiver, id, "sent", "delivered"), id);
            WebhookReceiver.Request refused = events.stream().filter(request -> request.answered() == 503).findFirst()
                    .orElseThrow(() -> new AssertionError("no event answered 503: " + events));
            WebhookReceiver.Request retried = events.stream()
                    .filter(request -> request != refused && request.webhookId().equals(refused.webhookId()))
                    .findFirst().orElseThrow(() -> new AssertionError("the refused event came back: " + events));
            Duration waited = Duration.between(refused.receivedAt(), retried.receivedAt());
            assertTrue(waited.compareTo(Duration.ofSeconds(2)) >= 0, "called again after " + waited.toMillis() + " ms");
        }
    }

    /**
     * The suite's server gives up on an attempt after 1 s ({@code SOFY_WEBHOOK_TIMEOUT}); this
     * endpoint holds its first request for 8 s. The event comes again in between.
     */
    @Test
    void anEndpointThatDoesNotAnswerInTimeGetsTheEventAgainWithoutBeingWaitedFor() throws Exception {
        KeyPair key = server.freshAccountKey();
        Duration timeout = Duration.ofSeconds(1);
        Duration hold = Duration.ofSeconds(8);
        try (WebhookReceiver receiver = WebhookReceiver.answeringFirst(WebhookReceiver.Answer.after(hold, 200))) {
            register(key, receiver, STATUS);

            send(key, "Hello world");

            List<WebhookReceiver.Request> requests = await(receiver, "the held event sent again", received ->
                    !received.isEmpty() && received.stream()
                            .filter(request -> request.webhookId().equals(received.get(0).webhookId())).count() > 1);
            WebhookReceiver.Request held = requests.get(0);
            WebhookReceiver.Request again = requests.stream().skip(1)
                    .filter(request -> request.webhookId().equals(held.webhookId())).findFirst().orElseThrow();
            Duration waited = Duration.between(held.receivedAt(), again.receivedAt());
            assertTrue(waited.compareTo(timeout) >= 0 && waited.compareTo(hold) < 0,
                    "sent again after " + waited.toMillis() + " ms");
        }
    }

    /** A redirect's target was never checked against private addresses, so it is not followed. */
    @Test
    void aRedirectIsNotFollowedAndTheEventIsTriedAgain() throws Exception {
        KeyPair key = server.freshAccountKey();
        try (WebhookReceiver elsewhere = WebhookReceiver.answering(200);
             WebhookReceiver redirecting = WebhookReceiver.answering(
                     new WebhookReceiver.Answer(307, Map.of("Location", elsewhere.url())))) {
            register(key, redirecting, STATUS);

            String id = send(key, "Hello world");

            await(redirecting, "an event of SMS " + id + " tried again", requests -> statusEventsOf(requests, id).stream()
                    .collect(Collectors.groupingBy(WebhookReceiver.Request::webhookId, Collectors.counting()))
                    .containsValue(2L));
            assertEquals(List.of(), elsewhere.requests());
        }
    }

    @Test
    void anEndpointThatAnswers410IsListedDisabled() throws Exception {
        KeyPair key = server.freshAccountKey();
        try (WebhookReceiver gone = WebhookReceiver.answering(410)) {
            String endpointId = register(key, gone, STATUS).path("id").asText();

            send(key, "Hello world");

            JsonNode endpoint = Eventually.await("the endpoint being disabled", () -> endpoint(key, endpointId),
                    listed -> !listed.path("enabled").asBoolean(true));
            assertFalse(endpoint.path("enabled").asBoolean(true));
            assertFalse(gone.requests().isEmpty(), "it was called");
        }
    }

    @Test
    void anEndpointThatAnswered410GetsNoMoreEvents() throws Exception {
        KeyPair key = server.freshAccountKey();
        try (WebhookReceiver gone = WebhookReceiver.answering(410); WebhookReceiver witness = WebhookReceiver.answering(200)) {
            String goneId = register(key, gone, STATUS).path("id").asText();
            register(key, witness, STATUS);
            send(key, "Hello world");
            Eventually.await("the endpoint being disabled", () -> endpoint(key, goneId),
                    listed -> !listed.path("enabled").asBoolean(true));

            String later = send(key, "Hello again");

            // The witness gets the events of the later SMS: the gone endpoint had the same chance.
            awaitStatuses(witness, later, "sent", "delivered");
            assertEquals(List.of(), gone.requests().stream().filter(request -> later.equals(request.smsId())).toList());
        }
    }

    private JsonNode endpoint(KeyPair key, String endpointId) {
        Exchange listed = server.send(RawRequest.get("/v1/webhooks").key(key), SpecCheck.requestAndResponse());
        for (JsonNode endpoint : listed.responseJson().path("data")) {
            if (endpointId.equals(endpoint.path("id").asText())) {
                return endpoint;
            }
        }
        throw new AssertionError("endpoint " + endpointId + " is not listed: " + listed.describe());
    }

    @Test
    void aClickSubscriberGetsTheLinkClickedWithItsClickCount() throws Exception {
        KeyPair key = server.freshAccountKey();
        try (WebhookReceiver receiver = WebhookReceiver.answering(200)) {
            register(key, receiver, CLICK);

            String id = sendAndClick(key);

            JsonNode event = clicks(await(receiver, "the click event", all -> !clicks(all).isEmpty())).get(0).event();
            assertEquals(id, event.path("data").path("sms").path("id").asText());
            assertEquals(LinksTest.LONG_URL, event.path("data").path("link").path("url").asText());
            assertEquals(1, event.path("data").path("link").path("clicks").asLong());
        }
    }

    @Test
    void anEndpointGetsOnlyTheEventTypesItSubscribedTo() throws Exception {
        KeyPair key = server.freshAccountKey();
        try (WebhookReceiver clicksOnly = WebhookReceiver.answering(200);
             WebhookReceiver statuses = WebhookReceiver.answering(200)) {
            register(key, clicksOnly, CLICK);
            register(key, statuses, STATUS);

            String id = sendAndClick(key);

            awaitStatuses(statuses, id, "sent", "delivered");
            List<WebhookReceiver.Request> received = await(clicksOnly, "the click event", all -> !clicks(all).isEmpty());
            assertEquals(Set.of(CLICK), received.stream().map(WebhookReceiver.Request::type).collect(Collectors.toSet()));
        }
    }

    @Test
    void aClickEventComesAfterTheStatusEventsOfItsSmsInSequence() throws Exception {
        KeyPair key = server.freshAccountKey();
        try (WebhookReceiver receiver = WebhookReceiver.answering(200)) {
            register(key, receiver, STATUS, CLICK);

            String id = sendAndClick(key);

            List<WebhookReceiver.Request> requests = await(receiver, "the delivered and click events of SMS " + id,
                    all -> statusesAcknowledged(all, id).contains("delivered") && !clicks(all).isEmpty());
            long delivered = statusEventsOf(requests, id).stream().filter(event -> "delivered".equals(event.smsStatus()))
                    .findFirst().orElseThrow().sequence();
            long click = clicks(requests).get(0).sequence();
            assertTrue(click > delivered, "the click has sequence " + click + ", the delivery before it " + delivered);
        }
    }

    @Test
    void anotherAccountsSmsNeverReachThisAccountsEndpoint() throws Exception {
        KeyPair mine = server.freshAccountKey();
        KeyPair theirs = server.freshAccountKey();
        try (WebhookReceiver myReceiver = WebhookReceiver.answering(200);
             WebhookReceiver theirReceiver = WebhookReceiver.answering(200)) {
            register(mine, myReceiver, STATUS, CLICK);
            register(theirs, theirReceiver, STATUS, CLICK);

            String theirSms = sendAndClick(theirs);

            await(theirReceiver, "their events", all -> statusesAcknowledged(all, theirSms).contains("delivered")
                    && !clicks(all).isEmpty());
            assertEquals(List.of(), myReceiver.requests());
        }
    }
}
