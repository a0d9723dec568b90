package dev.sofy.conformance;

import static dev.sofy.conformance.Answers.assertStatus;
import static dev.sofy.conformance.Answers.errorFields;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sofy.client.model.InboundSms;
import dev.sofy.client.model.InboundSmsList;
import dev.sofy.client.model.SmsCreateRequest;
import dev.sofy.testing.KeyPair;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Inbound SMS, played by the built-in simulator's replying handset ({@value #HANDSET}): an SMS to
 * it is answered {@code Re: } and its first 20 characters, to the SMS's sender. The reply reaches
 * every account that sent to the handset lately, so each test sends a text of its own and looks
 * for its reply, as a new account.
 */
@ExtendWith(ConformanceExtension.class)
final class InboundSmsTest {
    private static final String HANDSET = "12025550106";
    private static final String SHORT_CODE = "36789";

    private final ServerUnderTest server;
    private final CallbackValidator callback;

    InboundSmsTest(ServerUnderTest server, CallbackValidator callback) {
        this.server = server;
        this.callback = callback;
    }

    /** A text whose first 20 characters no other test sends. */
    private static String uniqueText() {
        return "Ref " + UUID.randomUUID().toString().substring(0, 16) + " table for two";
    }

    private static String replyTo(String text) {
        return "Re: " + text.substring(0, 20);
    }

    private void send(KeyPair key, String text) throws Exception {
        server.client(key).sms().createSms(new SmsCreateRequest().from(SHORT_CODE).to(HANDSET).body(text), null);
    }

    /** The account's inbound SMS from the handset with this text, once it is listed. */
    private InboundSms awaitReply(KeyPair key, String text) throws Exception {
        InboundSmsList listed = Eventually.await("the reply " + text, () -> server.client(key).inboundSms()
                .listInboundSms(100, null, HANDSET, null, null, null), page -> page.getData().stream()
                .anyMatch(inbound -> inbound.getText().equals(text)));
        return listed.getData().stream().filter(inbound -> inbound.getText().equals(text)).findFirst().orElseThrow();
    }

    private Exchange list(KeyPair key, String query) {
        return server.send(RawRequest.get("/v1/inbound-sms" + query).key(key), SpecCheck.requestAndResponse());
    }

    private static String encoded(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Test
    void theHandsetsReplyIsListedForTheAccountThatSentToItWithItsFields() throws Exception {
        KeyPair key = server.freshAccountKey();
        String text = uniqueText();

        send(key, text);

        InboundSms reply = awaitReply(key, replyTo(text));
        assertEquals(List.of(HANDSET, SHORT_CODE, replyTo(text)), List.of(reply.getFrom(), reply.getTo(), reply.getText()));
        assertNotNull(reply.getReceivedAt());
    }

    @Test
    void anAccountThatNeverSentToTheHandsetDoesNotSeeItsReply() throws Exception {
        KeyPair key = server.freshAccountKey();
        KeyPair other = server.freshAccountKey();
        String text = uniqueText();
        send(key, text);
        awaitReply(key, replyTo(text));

        Exchange listed = list(other, "");

        assertStatus(200, listed);
        assertEquals(0, listed.responseJson().path("data").size(), listed::describe);
    }

    @Test
    void anInboundSmsIsReadByItsId() throws Exception {
        KeyPair key = server.freshAccountKey();
        String text = uniqueText();
        send(key, text);
        InboundSms listed = awaitReply(key, replyTo(text));

        assertEquals(listed, server.client(key).inboundSms().getInboundSms(listed.getId()));
    }

    @Test
    void anotherAccountsInboundSmsIsNotFound() throws Exception {
        KeyPair key = server.freshAccountKey();
        String text = uniqueText();
        send(key, text);
        String id = awaitReply(key, replyTo(text)).getId();

        assertStatus(404, server.send(RawRequest.get("/v1/inbound-sms/" + id).key(server.freshAccountKey()),
                SpecCheck.requestAndResponse()));
    }

    @Test
    void anUnknownInboundSmsIsNotFound() {
        assertStatus(404, server.send(RawRequest.get("/v1/inbound-sms/" + Answers.unusedSmsId()).key(server.key()),
                SpecCheck.requestAndResponse()));
    }

    @Test
    void aMalformedIdIsNotFound() {
        assertStatus(404, server.send(RawRequest.get("/v1/inbound-sms/short").key(server.key()), SpecCheck.responseOnly()));
    }

    /** The ids of the account's inbound SMS, walked a page of one at a time. */
    private List<String> walk(KeyPair key) {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = list(key, "?limit=1" + (cursor == null ? "" : "&cursor=" + cursor)).responseJson();
            page.path("data").forEach(inbound -> ids.add(inbound.path("id").asText()));
            cursor = page.path("hasMore").asBoolean() ? page.path("nextCursor").asText() : null;
        } while (cursor != null);
        return ids;
    }

    /** Other tests' replies can reach this account too (it sent to the same handset): only its own count. */
    @Test
    void theListIsNewestFirstAPageAtATime() throws Exception {
        KeyPair key = server.freshAccountKey();
        String first = uniqueText();
        String second = uniqueText();
        send(key, first);
        String firstId = awaitReply(key, replyTo(first)).getId();
        send(key, second);
        String secondId = awaitReply(key, replyTo(second)).getId();

        List<String> walked = walk(key);

        assertEquals(List.of(secondId, firstId),
                walked.stream().filter(id -> id.equals(firstId) || id.equals(secondId)).toList());
    }

    @Test
    void theFiltersOnToAndTheReceivedRangeSelectTheReply() throws Exception {
        KeyPair key = server.freshAccountKey();
        String text = uniqueText();
        send(key, text);
        InboundSms reply = awaitReply(key, replyTo(text));
        String at = reply.getReceivedAt().toString();

        List<String> inRange = ids(list(key, "?to=" + SHORT_CODE + "&receivedFrom=" + encoded(at)
                + "&receivedTo=" + encoded(reply.getReceivedAt().plusSeconds(1).toString())));
        List<String> toAnother = ids(list(key, "?to=APITEST"));
        List<String> before = ids(list(key, "?receivedTo=" + encoded(at)));

        assertEquals(List.of(true, false, false), List.of(inRange.contains(reply.getId()),
                toAnother.contains(reply.getId()), before.contains(reply.getId())));
    }

    private static List<String> ids(Exchange page) {
        List<String> ids = new ArrayList<>();
        page.responseJson().path("data").forEach(inbound -> ids.add(inbound.path("id").asText()));
        return ids;
    }

    @Test
    void theLastPageHasNoCursor() {
        JsonNode page = list(server.freshAccountKey(), "").responseJson();

        assertFalse(page.path("hasMore").asBoolean());
        assertNull(page.get("nextCursor"));
    }

    @ParameterizedTest(name = "{0} is refused naming {1}")
    @CsvSource(delimiter = '|', value = {
        "?from=33-6-x              | from",
        "?from=33123               | from",
        "?to=API-TEST              | to",
        "?to=ABCDEFGHIJKLMNOPQ     | to",
        "?cursor=not.a.cursor      | cursor",
        "?cursor=MTo5OTk6eHh4      | cursor",
        "?limit=0                  | limit",
        "?limit=101                | limit",
        "?receivedFrom=yesterday   | receivedFrom",
        "?receivedTo=2026-13-01    | receivedTo",
    })
    void aBadParameterIsRefusedNamingIt(String query, String field) {
        Exchange refused = server.send(RawRequest.get("/v1/inbound-sms" + query).key(server.key()), SpecCheck.responseOnly());

        assertStatus(400, refused);
        assertEquals(Set.of(field), errorFields(refused), refused::describe);
    }

    @Test
    void withoutAKeyTheListIsUnauthorized() {
        assertStatus(401, server.send(RawRequest.get("/v1/inbound-sms"), SpecCheck.responseOnly()));
    }

    @Test
    void anEndpointSubscribedToSmsReceivedGetsTheReplyAsAnEventThatConformsToTheCallback() throws Exception {
        server.assumeSuiteSettings();
        KeyPair key = server.freshAccountKey();
        try (WebhookReceiver receiver = WebhookReceiver.answering(200)) {
            assertStatus(201, server.send(RawRequest.post("/v1/webhooks").key(key)
                    .json("{\"url\":\"" + receiver.url() + "\",\"events\":[\"sms.received\"]}"), SpecCheck.requestAndResponse()));
            String text = uniqueText();

            send(key, text);

            List<WebhookReceiver.Request> events = Eventually.await("the sms.received event", receiver::requests,
                    requests -> requests.stream().anyMatch(request -> replyTo(text).equals(
                            request.event().path("data").path("inboundSms").path("text").asText())));
            for (WebhookReceiver.Request request : events) {
                callback.assertConforms(request.headers(), request.body());
            }
            WebhookReceiver.Request received = events.stream().filter(request -> replyTo(text).equals(
                    request.event().path("data").path("inboundSms").path("text").asText())).findFirst().orElseThrow();
            assertEquals(List.of("sms.received", awaitReply(key, replyTo(text)).getId()), List.of(received.type(),
                    received.event().path("data").path("inboundSms").path("id").asText()));
        }
    }
}
