package dev.sofy.conformance;

import static dev.sofy.conformance.Answers.assertStatus;
import static dev.sofy.conformance.Answers.mediaType;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.atlassian.oai.validator.model.Request;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A path that cannot be decoded (a NUL, a bad {@code %} escape, bytes that are not UTF-8) is a
 * 400 problem for every method, named as the problem's {@code instance}; a {@code HEAD} gets the
 * status and headers, and never a body. These are sent verbatim: no URI holds them.
 */
@ExtendWith(ConformanceExtension.class)
final class UndecodablePathTest {
    private final ServerUnderTest server;

    UndecodablePathTest(ServerUnderTest server) {
        this.server = server;
    }

    @ParameterizedTest(name = "HEAD {0} is a 400 without a body")
    @ValueSource(strings = {"/v1/sms/%00", "/v1/sms/%zz", "/v1/sms/%FF", "/v1/sms?limit=1%"})
    void aHeadThatCannotBeDecodedIsRefusedWithoutABody(String path) {
        // Closing the connection makes a body the server sends against the rules show.
        Exchange exchange = server.send(RawRequest.head(path).key(server.key()).header("Connection", "close").verbatim(),
                SpecCheck.headAnsweredAsGet());

        assertStatus(400, exchange);
        assertEquals("", exchange.responseText(), exchange::describe);
    }

    @ParameterizedTest(name = "DELETE {0} is a 400 problem")
    @ValueSource(strings = {"/v1/opt-outs/%FF", "/v1/opt-outs/%C3%28", "/v1/opt-outs/%zz"})
    void aDeleteThatCannotBeDecodedIsAProblem(String path) {
        Exchange exchange = server.send(RawRequest.of("DELETE", path).key(server.key()).verbatim(),
                SpecCheck.responseOnly());

        assertStatus(400, exchange);
        assertEquals("application/problem+json", mediaType(exchange), exchange::describe);
    }

    @ParameterizedTest(name = "PUT {0} is a 400 problem")
    @ValueSource(strings = {"/v1/sms/%FF", "/v1/sms/%00"})
    void aPutThatCannotBeDecodedIsAProblem(String path) {
        Exchange exchange = server.send(RawRequest.put(path).key(server.key()).json(Seed.PHP_BODY).verbatim(),
                SpecCheck.responseAs(Request.Method.GET, "/v1/sms/" + Answers.unusedSmsId()));

        assertStatus(400, exchange);
        assertEquals("application/problem+json", mediaType(exchange), exchange::describe);
    }

    @ParameterizedTest(name = "GET {0} names it as the instance")
    @ValueSource(strings = {"/v1/sms/%zz", "/v1/sms/%00", "/v1/sms/%FF"})
    void theProblemNamesThePathAsItsInstance(String path) {
        Exchange exchange = server.send(RawRequest.get(path).key(server.key()).verbatim(), SpecCheck.responseOnly());

        assertStatus(400, exchange);
        assertEquals(path, exchange.responseJson().path("instance").asText(), exchange::describe);
    }
}
