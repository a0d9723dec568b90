package dev.sofy.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sofy.testing.KeyPair;
import dev.sofy.testing.RawHttp;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The spec: HEAD is answered wherever GET is, with the same status and headers and no body. */
final class HeadRequestsTest {
    private static final String UNKNOWN_ID = "unknownIdOf21Chars-xy";
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
    void headOnAnExistingSmsAnswers200WithTheHeadersOfGet() throws Exception {
        String path = "/v1/sms/" + server.createSms();
        // The SMS moves on (sent, delivered) and its length with it: compare once it has settled.
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!exchange("GET", path).body().contains("\"delivered\"") && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }

        RawHttp.Response get = exchange("GET", path);
        RawHttp.Response head = exchange("HEAD", path);

        assertEquals(200, head.status());
        assertEquals(entityHeaders(get), entityHeaders(head));
    }

    @Test
    void headOnAnExistingSmsSendsNoBody() throws Exception {
        String path = "/v1/sms/" + server.createSms();

        assertEquals("", exchange("HEAD", path).body());
    }

    @Test
    void headOnAnUnknownIdAnswers404WithTheHeadersOfGet() throws Exception {
        String path = "/v1/sms/" + UNKNOWN_ID;

        RawHttp.Response get = exchange("GET", path);
        RawHttp.Response head = exchange("HEAD", path);

        assertEquals(404, head.status());
        assertEquals(entityHeaders(get), entityHeaders(head));
    }

    @Test
    void headOnAnUnknownIdSendsNoBody() throws Exception {
        assertEquals("", exchange("HEAD", "/v1/sms/" + UNKNOWN_ID).body());
    }

    private static RawHttp.Response exchange(String method, String path) throws Exception {
        KeyPair key = TestServer.KEY;
        return RawHttp.exchange(server.port(), method + " " + path + " HTTP/1.1",
                "X-API-KEY-ID: " + key.id(), "X-API-KEY-SECRET: " + key.secret());
    }

    /** The headers that describe the body GET would send; {@code Date} and {@code Connection} may differ. */
    private static List<String> entityHeaders(RawHttp.Response response) {
        return Arrays.asList(response.header("content-type"), response.header("content-length"));
    }
}
