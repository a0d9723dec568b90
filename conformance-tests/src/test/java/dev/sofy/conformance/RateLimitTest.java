package dev.sofy.conformance;

import static dev.sofy.conformance.Answers.assertStatus;
import static dev.sofy.conformance.Answers.mediaType;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sofy.testing.KeyPair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every authenticated answer tells the client its quota; over the limit, 429 and nothing is done. */
@ExtendWith(ConformanceExtension.class)
final class RateLimitTest {
    private final ServerUnderTest server;

    RateLimitTest(ServerUnderTest server) {
        this.server = server;
    }

    private static void assertQuotaHeaders(Exchange exchange) {
        long limit = Long.parseLong(exchange.responseHeader("x-ratelimit-limit").orElseThrow());
        long remaining = Long.parseLong(exchange.responseHeader("x-ratelimit-remaining").orElseThrow());
        long reset = Long.parseLong(exchange.responseHeader("x-ratelimit-reset").orElseThrow());
        assertTrue(limit >= 1, exchange::describe);
        assertTrue(remaining >= 0 && remaining < limit, exchange::describe);
        assertTrue(reset >= 0, exchange::describe);
    }

    /** Sends the seed's request with {@code key} until it is refused; the refusal, or a failure after {@code attempts}. */
    private Exchange sendUntilRefused(KeyPair key, int attempts) {
        for (int i = 0; i < attempts; i++) {
            Exchange exchange = server.send(Seed.phpRequest(key), SpecCheck.requestAndResponse());
            if (exchange.status() == 429) {
                return exchange;
            }
            assertStatus(201, exchange);
        }
        throw new AssertionError("no 429 after " + attempts + " requests over a limit of 1 per second");
    }

    @Test
    void aCreatedSmsCarriesTheQuotaHeaders() {
        Exchange exchange = server.send(Seed.phpRequest(server.key()), SpecCheck.requestAndResponse());

        assertStatus(201, exchange);
        assertQuotaHeaders(exchange);
    }

    @Test
    void aReadSmsCarriesTheQuotaHeaders() {
        String id = server.send(Seed.phpRequest(server.key()), SpecCheck.requestAndResponse()).responseJson()
                .path("id").asText();

        Exchange exchange = server.send(RawRequest.get("/v1/sms/" + id).key(server.key()), SpecCheck.requestAndResponse());

        assertStatus(200, exchange);
        assertQuotaHeaders(exchange);
    }

    @Test
    void aRefusedRequestOfAnAuthenticatedKeyCarriesTheQuotaHeadersToo() {
        Exchange exchange = server.send(RawRequest.post("/v1/sms").key(server.key()).json("{}"), SpecCheck.responseOnly());

        assertStatus(400, exchange);
        assertQuotaHeaders(exchange);
    }

    @Test
    void theLimitHeaderIsTheKeysOwnLimit() {
        KeyPair key = server.limitedKey(1);

        Exchange exchange = server.send(Seed.phpRequest(key), SpecCheck.requestAndResponse());

        assertStatus(201, exchange);
        assertEquals("1", exchange.responseHeader("x-ratelimit-limit").orElseThrow());
        assertEquals("0", exchange.responseHeader("x-ratelimit-remaining").orElseThrow());
    }

    @Test
    void aKeyOverItsLimitIsRefusedWithTooManyRequests() {
        Exchange refused = sendUntilRefused(server.limitedKey(1), 20);

        assertEquals("application/problem+json", mediaType(refused));
        assertEquals(429, refused.responseJson().path("status").asInt());
    }

    @Test
    void aRefusalSaysWhenToRetry() {
        Exchange refused = sendUntilRefused(server.limitedKey(1), 20);

        assertTrue(Long.parseLong(refused.responseHeader("Retry-After").orElseThrow()) >= 1, refused::describe);
        assertEquals("0", refused.responseHeader("x-ratelimit-remaining").orElseThrow());
        assertEquals("1", refused.responseHeader("x-ratelimit-limit").orElseThrow());
    }

    @Test
    void aRefusedSmsIsNotCreated() {
        Exchange refused = sendUntilRefused(server.limitedKey(1), 20);

        assertFalse(refused.responseHeader("Location").isPresent(), refused::describe);
        assertFalse(refused.responseJson().has("id"), refused::describe);
    }

    @Test
    void readingHasItsOwnLimitBesideSending() {
        KeyPair key = server.limitedKey(1);
        sendUntilRefused(key, 20);

        Exchange read = server.send(RawRequest.get("/v1/sms/" + Answers.unusedSmsId()).key(key),
                SpecCheck.requestAndResponse());

        assertStatus(404, read);
    }
}
