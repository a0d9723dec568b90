package dev.sofy.conformance;

import static dev.sofy.conformance.Answers.assertStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.atlassian.oai.validator.model.Request;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every answer carries {@code X-Request-Id}: the client's own when it is 1 to 200 visible ASCII
 * characters, otherwise one the server makes up; a problem names the same id as {@code requestId}.
 */
@ExtendWith(ConformanceExtension.class)
final class RequestIdTest {
    private static final String HEADER = "X-Request-Id";
    private final ServerUnderTest server;

    RequestIdTest(ServerUnderTest server) {
        this.server = server;
    }

    private static String requestId(Exchange exchange) {
        return exchange.responseHeader(HEADER).orElseThrow(() -> new AssertionError("no " + HEADER + ":\n"
                + exchange.describe()));
    }

    @Test
    void theClientsOwnIdIsEchoed() {
        Exchange exchange = server.send(RawRequest.post("/v1/sms").key(server.key()).header(HEADER, "order-42/retry-1")
                .json(Seed.PHP_BODY), SpecCheck.requestAndResponse());

        assertStatus(201, exchange);
        assertEquals("order-42/retry-1", requestId(exchange), exchange::describe);
    }

    @Test
    void anIdOf200VisibleCharactersIsEchoed() {
        String id = "~!".repeat(100);
        Exchange exchange = server.send(RawRequest.get("/v1/sms?limit=1").key(server.key()).header(HEADER, id),
                SpecCheck.requestAndResponse());

        assertEquals(id, requestId(exchange), exchange::describe);
    }

    @Test
    void withoutAnIdTheServerMakesOneUp() {
        Exchange exchange = server.send(RawRequest.get("/v1/sms?limit=1").key(server.key()),
                SpecCheck.requestAndResponse());

        assertTrue(requestId(exchange).matches("[A-Za-z0-9_-]{16,}"), exchange::describe);
    }

    @Test
    void twoRequestsWithoutAnIdGetTwoIds() {
        RawRequest request = RawRequest.get("/v1/sms?limit=1").key(server.key());

        assertNotEquals(requestId(server.send(request, SpecCheck.requestAndResponse())),
                requestId(server.send(request, SpecCheck.requestAndResponse())));
    }

    @ParameterizedTest(name = "''{0}'' is replaced")
    @ValueSource(strings = {"has a space", "tab\there"})
    void anInvalidIdIsReplaced(String invalid) {
        Exchange exchange = server.send(RawRequest.get("/v1/sms?limit=1").key(server.key()).header(HEADER, invalid)
                .verbatim(), SpecCheck.responseOnly());

        assertTrue(requestId(exchange).matches("[A-Za-z0-9_-]{16,}"), exchange::describe);
    }

    @Test
    void anIdOver200CharactersIsReplaced() {
        Exchange exchange = server.send(RawRequest.get("/v1/sms?limit=1").key(server.key()).header(HEADER, "a".repeat(201)),
                SpecCheck.responseOnly());

        assertTrue(requestId(exchange).matches("[A-Za-z0-9_-]{16,}"), exchange::describe);
    }

    @Test
    void aProblemNamesTheIdOfItsAnswer() {
        Exchange exchange = server.send(RawRequest.get("/v1/sms/" + Answers.unusedSmsId()).key(server.key())
                .header(HEADER, "lookup-7"), SpecCheck.requestAndResponse());

        assertStatus(404, exchange);
        assertEquals("lookup-7", exchange.responseJson().path("requestId").asText(), exchange::describe);
    }

    @Test
    void aRefusedKeyStillGetsAnId() {
        Exchange exchange = server.send(RawRequest.get("/v1/sms"), SpecCheck.responseOnly());

        assertStatus(401, exchange);
        assertEquals(requestId(exchange), exchange.responseJson().path("requestId").asText(), exchange::describe);
    }

    @Test
    void anUnknownPathGetsAnId() {
        Exchange exchange = server.send(RawRequest.get("/v1/messages").key(server.key()).header(HEADER, "lost-1"),
                SpecCheck.responseAs(Request.Method.GET, "/v1/sms/" + Answers.unusedSmsId()));

        assertStatus(404, exchange);
        assertEquals("lost-1", requestId(exchange), exchange::describe);
    }

    @Test
    void aPathJettyRefusesGetsAnIdInItsHeaderAndProblem() {
        Exchange exchange = server.send(RawRequest.get("/v1/sms/%zz").key(server.key()).verbatim(),
                SpecCheck.responseOnly());

        assertStatus(400, exchange);
        assertEquals(requestId(exchange), exchange.responseJson().path("requestId").asText(), exchange::describe);
    }
}
