package dev.sofy.server.http;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sofy.server.ApiRequests;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A body that is not JSON is refused saying what is wrong and where, in the server's words: the
 * parser's own messages name its classes and settings, which mean nothing to a client.
 */
final class MalformedJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Words of Jackson's messages, none of which a client should see. */
    private static final List<String> PARSER_WORDING = List.of("Source", "REDACTED", "Feature", "Jackson", "(code ",
            "Unexpected", "Unrecognized", "VALUE_STRING", "marker", "StreamReadConstraints", "`");
    private static TestServer server;

    @BeforeAll
    static void startServer() {
        server = TestServer.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"{\"from\": \"APITEST\", \"to\": ", "[1, 2", "{from: \"APITEST\"}", "{\"from\": tru}",
        "{\"from\": \"APITEST\",}", "{\"from\": \"APITEST\"} x", "{\"body\": \"a\\qb\"}", "{\"from\": 01}",
        "{\"from\": \"A\", \"from\": \"B\"}", "{\"from\": NaN}", "{'from': 'APITEST'}"})
    void theProblemSaysWhereTheJsonBreaksInTheServersWords(String body) throws Exception {
        String message = onlyError(body).path("message").asText();

        assertAll(
                () -> assertTrue(message.startsWith("is not valid JSON: "), message),
                () -> assertTrue(message.matches(".*\\(line \\d+, column \\d+\\)$"), message),
                () -> PARSER_WORDING.forEach(word -> assertFalse(message.contains(word), message)));
    }

    @Test
    void aDocumentCutShortIsSaidToEndTooEarly() throws Exception {
        String message = onlyError("{\"from\":\"APITEST\",\"to\":\"590690112233\",").path("message").asText();

        assertEquals("is not valid JSON: it ends before the document is complete (line 1, column 39)", message);
    }

    @Test
    void anUnknownWordIsSaidNotToBeAJsonValue() throws Exception {
        String message = onlyError("{\"from\": tru}").path("message").asText();

        assertTrue(message.startsWith("is not valid JSON: a word there is not a JSON value"), message);
    }

    @ParameterizedTest(name = "nested {0} deep")
    @ValueSource(ints = {65, 1000})
    void aDocumentNestedTooDeeplyIsRefusedInTheServersWords(int depth) throws Exception {
        String message = onlyError("[".repeat(depth) + "]".repeat(depth)).path("message").asText();

        assertEquals("is not valid JSON: it nests deeper than 64 levels", message);
    }

    private static JsonNode onlyError(String body) throws Exception {
        HttpResponse<String> response = server.send(ApiRequests.createSms(server.baseUri(), TestServer.KEY, body));
        assertEquals(400, response.statusCode(), response.body());
        JsonNode errors = JSON.readTree(response.body()).path("errors");
        assertEquals(1, errors.size(), response.body());
        assertEquals("$", errors.get(0).path("field").asText(), response.body());
        return errors.get(0);
    }
}
