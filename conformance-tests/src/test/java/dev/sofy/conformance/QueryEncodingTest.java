package dev.sofy.conformance;

import static dev.sofy.conformance.Answers.assertStatus;
import static dev.sofy.conformance.Answers.errorFields;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A query value that cannot be decoded (a bad {@code %} escape, bytes that are not UTF-8) is
 * refused naming its parameter, as a value out of its schema is: it is not taken as if it had not
 * been given. Such requests are sent verbatim, and only their answer is checked: no URI holds them.
 */
@ExtendWith(ConformanceExtension.class)
final class QueryEncodingTest {
    private final ServerUnderTest server;

    QueryEncodingTest(ServerUnderTest server) {
        this.server = server;
    }

    private Exchange get(String pathAndQuery) {
        return server.send(RawRequest.get(pathAndQuery).key(server.key()).verbatim(), SpecCheck.responseOnly());
    }

    @ParameterizedTest(name = "{0} is refused naming {1}")
    @CsvSource({
        "/v1/sms?status=errored%ZZ, status",
        "/v1/sms?to=33612345678%ZZ, to",
        "/v1/sms?limit=1%, limit",
        "/v1/sms?to=%FF33612345678, to",
        "/v1/sms?cursor=%ED%A0%80, cursor",
        "/v1/opt-outs?cursor=1%Z, cursor",
    })
    void aValueThatCannotBeDecodedIsRefusedNamingItsParameter(String pathAndQuery, String parameter) {
        Exchange refused = get(pathAndQuery);

        assertStatus(400, refused);
        assertEquals(Set.of(parameter), errorFields(refused), refused::describe);
    }

    @Test
    void everyBadParameterIsListedWithTheOneThatCannotBeDecoded() {
        Exchange refused = get("/v1/sms?limit=0&status=sent%G0");

        assertEquals(Set.of("limit", "status"), errorFields(refused), refused::describe);
    }

    @Test
    void aWellFormedEscapeIsDecoded() {
        Exchange listed = server.send(RawRequest.get("/v1/sms?status=deliv%65red&limit=1").key(server.key()).verbatim(),
                SpecCheck.requestAndResponse());

        assertStatus(200, listed);
    }
}
