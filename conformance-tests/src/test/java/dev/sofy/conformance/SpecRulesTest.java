package dev.sofy.conformance;

import static dev.sofy.conformance.Answers.assertStatus;
import static dev.sofy.conformance.Answers.errorFields;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.atlassian.oai.validator.report.ValidationReport;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The spec refuses what the server refuses, so that generated clients and validating proxies can
 * too: each request here is refused by the server naming a field, and held against the spec, it
 * breaks that field's {@code pattern}. (The seed's requests, which the server takes, still conform:
 * see {@link SeedExamplesTest}.)
 */
@ExtendWith(ConformanceExtension.class)
final class SpecRulesTest {
    private final ServerUnderTest server;
    private final SpecValidator spec;

    SpecRulesTest(ServerUnderTest server, SpecValidator spec) {
        this.server = server;
        this.spec = spec;
    }

    @ParameterizedTest(name = "{0} {1}: the server and the spec refuse {2}")
    @CsvSource(delimiter = '|', value = {
        "POST | /v1/sms       | from   | {\"from\":\"API-TEST\",\"to\":\"590690112233\",\"body\":\"Hello\"}",
        "POST | /v1/sms       | from   | {\"from\":\"+\",\"to\":\"590690112233\",\"body\":\"Hello\"}",
        "POST | /v1/sms       | to     | {\"from\":\"APITEST\",\"to\":\"0690 11 22 33 x\",\"body\":\"Hello\"}",
        "POST | /v1/sms       | to     | {\"from\":\"APITEST\",\"to\":\"++590690112233\",\"body\":\"Hello\"}",
        "POST | /v1/opt-outs  | number | {\"number\":\"tel:33612345678\"}",
        "POST | /v1/webhooks  | url    | {\"url\":\"ftp://example.com/events\",\"events\":[\"sms.status\"]}",
        "POST | /v1/webhooks  | url    | {\"url\":\"https://user:secret@example.com/events\",\"events\":[\"sms.status\"]}",
        "POST | /v1/webhooks  | url    | {\"url\":\"example.com/events\",\"events\":[\"sms.status\"]}",
        "GET  | /v1/sms?to=33-6-x             | to     | ",
        "GET  | /v1/sms?cursor=not.a.cursor    | cursor | ",
        "GET  | /v1/opt-outs?cursor=33612345678a | cursor | ",
        "GET  | /v1/inbound-sms?from=33-6-x     | from   | ",
        "GET  | /v1/inbound-sms?to=API-TEST     | to     | ",
        "GET  | /v1/inbound-sms?cursor=not.a.cursor | cursor | ",
    })
    void aValueTheServerRefusesBreaksItsPatternInTheSpec(String method, String path, String field, String body) {
        var request = RawRequest.of(method, path).key(server.key());
        Exchange refused = server.send(body == null ? request : request.json(body), SpecCheck.responseOnly());

        assertStatus(400, refused);
        assertEquals(Set.of(field), errorFields(refused), refused::describe);
        List<ValidationReport.Message> breaks = spec.violations(refused, SpecCheck.requestAndResponse());
        assertTrue(breaks.stream().anyMatch(message -> message.getKey().endsWith(".schema.pattern")),
                () -> "the spec takes the request:\n" + breaks + "\n" + refused.describe());
    }
}
