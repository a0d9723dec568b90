package dev.sofy.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sofy.server.ApiRequests;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Where the spec's schema and the operation's own rules both refuse a value, the client reads the
 * operation's message, the one that says what a valid value is: a value refused by its
 * {@code pattern}, or by its schema too, is described as one the schema takes but the rules refuse.
 */
final class ValidationMessagesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestServer server;

    @BeforeAll
    static void startServer() {
        server = TestServer.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void aRecipientOffItsPatternIsDescribedAsAnInvalidNumberIs() throws Exception {
        assertEquals(messages(send("{\"from\":\"APITEST\",\"to\":\"1234\",\"body\":\"x\"}", null)),
                messages(send("{\"from\":\"APITEST\",\"to\":\"not a number\",\"body\":\"x\"}", null)));
    }

    @Test
    void aSenderOffItsPatternIsDescribedAsAnInvalidSenderIs() throws Exception {
        assertEquals(messages(send("{\"from\":\"TOOLONGSENDER1\",\"to\":\"590690112233\",\"body\":\"x\"}", null)),
                messages(send("{\"from\":\"API-TEST\",\"to\":\"590690112233\",\"body\":\"x\"}", null)));
    }

    @Test
    void aSenderOffItsPatternIsDescribedAsAnInvalidSenderIsBesideOtherBadFields() throws Exception {
        Map<String, String> refused = messages(send("{\"from\":\"API-TEST\",\"to\":\"590690112233\",\"body\":\"\"}", null));
        Map<String, String> invalidSender = messages(send("{\"from\":\"TOOLONGSENDER1\",\"to\":\"590690112233\",\"body\":\"x\"}", null));

        assertEquals(invalidSender.get("from"), refused.get("from"));
    }

    @Test
    void anIdempotencyKeyOverItsSchemasLengthIsDescribedAsABlankKeyIs() throws Exception {
        String sms = "{\"from\":\"APITEST\",\"to\":\"590690112233\",\"body\":\"x\"}";

        assertEquals(messages(send(sms, "   ")), messages(send(sms, "k".repeat(256))));
    }

    @Test
    void aWebhookUrlOffItsPatternIsDescribedAsAUrlOfAnotherSchemeIs() throws Exception {
        HttpResponse<String> ftp = server.send(webhook("ftp://example.com/events"));
        HttpResponse<String> noScheme = server.send(webhook("example.com/events"));

        assertEquals(messages(ftp), messages(noScheme));
    }

    private static HttpResponse<String> send(String json, String idempotencyKey) throws Exception {
        var request = ApiRequests.authenticated(server.baseUri().resolve("/v1/sms"), TestServer.KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return server.send(request.build());
    }

    private static HttpRequest webhook(String url) {
        return ApiRequests.authenticated(server.baseUri().resolve("/v1/webhooks"), TestServer.KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"url\":\"" + url + "\",\"events\":[\"sms.status\"]}"))
                .build();
    }

    /** The problem's {@code errors}, field to message; the answer must be a 400. */
    private static Map<String, String> messages(HttpResponse<String> response) throws Exception {
        assertEquals(400, response.statusCode(), response.body());
        Map<String, String> messages = new HashMap<>();
        for (JsonNode error : JSON.readTree(response.body()).path("errors")) {
            messages.put(error.path("field").asText(), error.path("message").asText());
        }
        return messages;
    }
}
