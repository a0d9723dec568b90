package dev.sofy.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sofy.server.ApiRequests;
import dev.sofy.testing.KeyPair;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The spec: a refused request stores nothing. Each test counts the rows of {@code sms} around one request. */
final class RejectedRequestsTest {
    private static TestServer server;

    @BeforeAll
    static void startServer() {
        server = TestServer.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void anAcceptedSmsIsStoredAsOneRow() throws Exception {
        long before = server.storedSmsCount();

        HttpResponse<String> response = server.send(
                ApiRequests.createSms(server.baseUri(), TestServer.KEY, ApiRequests.VALID_SMS_JSON));

        assertEquals(201, response.statusCode(), response.body());
        assertEquals(before + 1, server.storedSmsCount());
    }

    @Test
    void anInvalidRecipientIsRefusedWith400AndNothingIsStored() throws Exception {
        long before = server.storedSmsCount();

        HttpResponse<String> response = server.send(ApiRequests.createSms(server.baseUri(), TestServer.KEY, """
                {"from": "APITEST", "to": "123", "body": "Hello world"}"""));

        assertEquals(400, response.statusCode(), response.body());
        assertEquals(before, server.storedSmsCount());
    }

    @Test
    void aBodyThatIsNotJsonIsRefusedWith415AndNothingIsStored() throws Exception {
        long before = server.storedSmsCount();

        HttpResponse<String> response = server.send(
                ApiRequests.authenticated(server.baseUri().resolve("/v1/sms"), TestServer.KEY)
                        .header("Content-Type", "text/plain")
                        .POST(HttpRequest.BodyPublishers.ofString(ApiRequests.VALID_SMS_JSON))
                        .build());

        assertEquals(415, response.statusCode(), response.body());
        assertEquals(before, server.storedSmsCount());
    }

    @Test
    void aBodyOver64KiBIsRefusedWith413AndNothingIsStored() throws Exception {
        long before = server.storedSmsCount();
        // Valid but for its size: unknown properties are ignored.
        String json = """
                {"from": "APITEST", "to": "590690112233", "body": "Hello world", "padding": "%s"}"""
                .formatted("x".repeat((int) HttpApi.MAX_BODY_BYTES + 1));

        HttpResponse<String> response = server.send(ApiRequests.createSms(server.baseUri(), TestServer.KEY, json));

        assertEquals(413, response.statusCode(), response.body());
        assertEquals(before, server.storedSmsCount());
    }

    @Test
    void aWrongSecretIsRefusedWith401AndNothingIsStored() throws Exception {
        long before = server.storedSmsCount();
        var wrongSecret = new KeyPair(TestServer.KEY.id(), "not-the-secret-0123456789");

        HttpResponse<String> response = server.send(
                ApiRequests.createSms(server.baseUri(), wrongSecret, ApiRequests.VALID_SMS_JSON));

        assertEquals(401, response.statusCode(), response.body());
        assertEquals(before, server.storedSmsCount());
    }
}
