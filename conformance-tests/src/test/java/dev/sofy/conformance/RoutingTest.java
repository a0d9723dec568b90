package dev.sofy.conformance;

import static dev.sofy.conformance.Answers.assertStatus;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.atlassian.oai.validator.model.Request;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Paths and methods the spec does not have are answered with problems too. The spec cannot
 * describe those answers, so each is checked as the same status of an operation that exists: an
 * unknown path as getSms's 404, a wrong method as the {@code default} answer of the operation
 * at that path (which documents {@code Allow}).
 */
@ExtendWith(ConformanceExtension.class)
final class RoutingTest {
    private final ServerUnderTest server;

    RoutingTest(ServerUnderTest server) {
        this.server = server;
    }

    @ParameterizedTest(name = "{0} is not found")
    @ValueSource(strings = {"/v1/messages", "/v2/sms", "/"})
    void anUnknownPathIsNotFound(String path) {
        Exchange exchange = server.send(RawRequest.get(path).key(server.key()),
                SpecCheck.responseAs(Request.Method.GET, "/v1/sms/" + Answers.unusedSmsId()));

        assertStatus(404, exchange);
    }

    private Exchange putOnTheSmsCollection() {
        return server.send(RawRequest.put("/v1/sms").key(server.key()).json(Seed.PHP_BODY),
                SpecCheck.responseAs(Request.Method.POST, "/v1/sms"));
    }

    @Test
    void aWrongMethodIsNotAllowed() {
        assertStatus(405, putOnTheSmsCollection());
    }

    @Test
    void aWrongMethodIsAnsweredWithTheAllowedMethods() {
        Exchange exchange = putOnTheSmsCollection();

        assertTrue(allowed(exchange).contains("POST"), () -> "Allow does not list POST:\n" + exchange.describe());
    }

    @Test
    void aWrongMethodOnAnSmsIsAnsweredWithGetAllowed() {
        Exchange exchange = server.send(RawRequest.put("/v1/sms/" + Answers.unusedSmsId()).key(server.key())
                .json(Seed.PHP_BODY), SpecCheck.responseAs(Request.Method.GET, "/v1/sms/" + Answers.unusedSmsId()));

        assertStatus(405, exchange);
        assertTrue(allowed(exchange).contains("GET"), () -> "Allow does not list GET:\n" + exchange.describe());
    }

    private static List<String> allowed(Exchange exchange) {
        return exchange.responseHeader("Allow").stream()
                .flatMap(value -> Arrays.stream(value.split(",")))
                .map(method -> method.strip().toUpperCase(Locale.ROOT))
                .toList();
    }
}
