package dev.sofy.conformance;

import static dev.sofy.conformance.Answers.assertStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The spec declares a {@code HEAD} operation beside each {@code GET}: a {@code HEAD} request and its
 * answer conform to it, with the status of the {@code GET} and no body.
 */
@ExtendWith(ConformanceExtension.class)
final class HeadOperationsTest {
    private final ServerUnderTest server;

    HeadOperationsTest(ServerUnderTest server) {
        this.server = server;
    }

    private Exchange head(String path) {
        return server.send(RawRequest.head(path).key(server.key()), SpecCheck.requestAndResponse());
    }

    @ParameterizedTest(name = "HEAD {0} conforms to its operation")
    @ValueSource(strings = {"/v1/sms", "/v1/sms?limit=1&status=delivered", "/v1/webhooks", "/v1/opt-outs?limit=10",
        "/v1/inbound-sms", "/v1/inbound-sms?limit=1&from=12025550106"})
    void aHeadOnAListConformsToItsOperation(String path) {
        Exchange exchange = head(path);

        assertStatus(200, exchange);
        assertEquals(0, exchange.responseBody().length);
    }

    @Test
    void aHeadOnAnSmsConformsToItsOperation() {
        String id = server.send(Seed.phpRequest(server.key()), SpecCheck.requestAndResponse()).responseJson()
                .path("id").asText();

        assertStatus(200, head("/v1/sms/" + id));
    }

    @Test
    void aHeadOnAnUnknownSmsIsNotFoundAsItsOperationSays() {
        assertStatus(404, head("/v1/sms/" + Answers.unusedSmsId()));
    }

    @Test
    void aHeadOnAnUnknownInboundSmsIsNotFoundAsItsOperationSays() {
        assertStatus(404, head("/v1/inbound-sms/" + Answers.unusedSmsId()));
    }

    @Test
    void aHeadWithABadParameterIsRefusedAsItsOperationSays() {
        Exchange exchange = server.send(RawRequest.head("/v1/sms?limit=0").key(server.key()), SpecCheck.responseOnly());

        assertStatus(400, exchange);
        assertEquals(0, exchange.responseBody().length);
    }

    @Test
    void aHeadOnAnUnknownLinkIsNotFoundAsItsOperationSays() {
        assertStatus(404, server.send(RawRequest.head("/r/Zz9Zz9Zz9Zz9"), SpecCheck.requestAndResponse()));
    }
}
