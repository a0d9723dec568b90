package dev.sofy.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sofy.server.ApiRequests;
import dev.sofy.testing.KeyPair;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Failed authentications from one address (here 127.0.0.1) are limited: after a burst of 3, at 1 a
 * second, further failures get 429, while a correct key pair from the same address is served.
 */
final class FailedAuthenticationLimitTest {
    private static final int BURST = 3;
    private static final KeyPair WRONG_SECRET = new KeyPair(TestServer.KEY.id(), "not-the-secret-0123456789-abcdefgh");

    private TestServer server;

    @BeforeEach
    void startServer() {
        server = TestServer.start(Map.of(
                "SOFY_AUTH_FAILURE_RATE", "1",
                "SOFY_AUTH_FAILURE_BURST", Integer.toString(BURST)));
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    private HttpResponse<String> readWith(KeyPair key) throws Exception {
        return server.send(readRequest(key));
    }

    private HttpRequest readRequest(KeyPair key) {
        return ApiRequests.getSms(server.baseUri(), key, "aaaaaaaaaaaaaaaaaaaaa");
    }

    private void failBurst() throws Exception {
        for (int i = 0; i < BURST; i++) {
            HttpResponse<String> response = readWith(WRONG_SECRET);
            assertEquals(401, response.statusCode(), "failure " + i + ": " + response.body());
        }
    }

    /**
     * Sends the failing request until it is refused otherwise than with 401; the first {@link #BURST}
     * must be 401s. A unit comes back every second, so on a slow machine a 401 may come between;
     * ten more failures cannot all be that slow.
     */
    private HttpResponse<String> failUntilRefused(HttpRequest failing) throws Exception {
        for (int i = 0; i < BURST + 10; i++) {
            HttpResponse<String> response = server.send(failing);
            if (response.statusCode() != 401) {
                assertTrue(i >= BURST, "refused within the burst, at failure " + i + ": " + response.body());
                return response;
            }
        }
        throw new AssertionError("no refusal after " + (BURST + 10) + " failures");
    }

    @Test
    void aWrongKeyPairBeyondTheBurstIsRefusedWith429AndRetryAfter() throws Exception {
        HttpResponse<String> refused = failUntilRefused(readRequest(WRONG_SECRET));

        assertEquals(429, refused.statusCode(), refused.body());
        assertEquals("application/problem+json", refused.headers().firstValue("Content-Type").orElse(""));
        assertTrue(refused.body().contains("\"status\":429"), refused.body());
        assertTrue(Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow()) >= 1);
    }

    @Test
    void aRefusalForFailedAuthenticationsCarriesNoQuotaHeadersOfAKey() throws Exception {
        HttpResponse<String> refused = failUntilRefused(readRequest(WRONG_SECRET));

        assertEquals(429, refused.statusCode(), refused.body());
        assertFalse(refused.headers().firstValue("x-ratelimit-limit").isPresent(), refused.headers().toString());
    }

    @Test
    void aCorrectKeyPairFromTheRefusedAddressIsStillServed() throws Exception {
        assertEquals(429, failUntilRefused(readRequest(WRONG_SECRET)).statusCode());
        long before = server.storedSmsCount();

        HttpResponse<String> response = server.send(
                ApiRequests.createSms(server.baseUri(), TestServer.KEY, ApiRequests.VALID_SMS_JSON));

        assertEquals(201, response.statusCode(), response.body());
        assertEquals(before + 1, server.storedSmsCount());
    }

    @Test
    void correctKeyPairsTakeNothingFromTheAddressesAllowanceOfFailures() throws Exception {
        for (int i = 0; i < 2 * BURST; i++) {
            assertEquals(404, readWith(TestServer.KEY).statusCode());
        }

        failBurst();
    }

    @Test
    void requestsWithoutAKeyCountAsFailures() throws Exception {
        HttpRequest withoutKey = HttpRequest.newBuilder(server.baseUri().resolve("/v1/sms/aaaaaaaaaaaaaaaaaaaaa")).build();

        assertEquals(429, failUntilRefused(withoutKey).statusCode());
    }
}
