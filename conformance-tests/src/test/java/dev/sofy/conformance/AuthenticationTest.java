package dev.sofy.conformance;

import static dev.sofy.conformance.Answers.assertStatus;

import dev.sofy.testing.KeyPair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every operation needs a valid key pair, checked before anything else. A request with both key
 * headers is valid for the spec whatever their values, so it is checked whole; one without them is
 * refused by the spec too, so only its answer is checked.
 */
@ExtendWith(ConformanceExtension.class)
final class AuthenticationTest {
    private final ServerUnderTest server;

    AuthenticationTest(ServerUnderTest server) {
        this.server = server;
    }

    @Test
    void sendingWithoutAKeyIsUnauthorized() {
        Exchange exchange = server.send(RawRequest.post("/v1/sms").json(Seed.PHP_BODY), SpecCheck.responseOnly());

        assertStatus(401, exchange);
    }

    @Test
    void sendingWithAWrongSecretIsUnauthorized() {
        KeyPair wrongSecret = new KeyPair(server.key().id(), server.key().secret() + "x");

        Exchange exchange = server.send(RawRequest.post("/v1/sms").key(wrongSecret).json(Seed.PHP_BODY),
                SpecCheck.requestAndResponse());

        assertStatus(401, exchange);
    }

    @Test
    void sendingWithAnUnknownKeyIdIsUnauthorized() {
        KeyPair unknownId = new KeyPair("no-such-key-" + Answers.unusedSmsId(), server.key().secret());

        Exchange exchange = server.send(RawRequest.post("/v1/sms").key(unknownId).json(Seed.PHP_BODY),
                SpecCheck.requestAndResponse());

        assertStatus(401, exchange);
    }

    @Test
    void aKeyIdWithoutItsSecretIsUnauthorized() {
        Exchange exchange = server.send(RawRequest.post("/v1/sms").header(KeyPair.ID_HEADER, server.key().id())
                .json(Seed.PHP_BODY), SpecCheck.responseOnly());

        assertStatus(401, exchange);
    }

    @Test
    void anInvalidBodyWithoutAKeyIsUnauthorizedRatherThanBadRequest() {
        Exchange exchange = server.send(RawRequest.post("/v1/sms").json("{\"from\": 3, \"to\": "),
                SpecCheck.responseOnly());

        assertStatus(401, exchange);
    }

    @Test
    void readingWithoutAKeyIsUnauthorized() {
        Exchange exchange = server.send(RawRequest.get("/v1/sms/" + Answers.unusedSmsId()), SpecCheck.responseOnly());

        assertStatus(401, exchange);
    }

    @Test
    void readingWithAWrongSecretIsUnauthorized() {
        KeyPair wrongSecret = new KeyPair(server.key().id(), server.key().secret() + "x");

        Exchange exchange = server.send(RawRequest.get("/v1/sms/" + Answers.unusedSmsId()).key(wrongSecret),
                SpecCheck.requestAndResponse());

        assertStatus(401, exchange);
    }
}
