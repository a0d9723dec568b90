package dev.sofy.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sofy.testing.RawHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Requests that Jetty refuses before Javalin sees them are answered with problems too. */
final class JettyRejectionsTest {
    private static final int JETTY_HEADER_LIMIT = 8 * 1024;
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
    void requestHeadersOver8KiBAreAnswered431() throws Exception {
        assertEquals(431, oversizedHeaders().status());
    }

    @Test
    void requestHeadersOver8KiBAreAnsweredWithAProblem() throws Exception {
        assertEquals("application/problem+json", oversizedHeaders().header("content-type"));
    }

    @Test
    void aBadPercentEncodingInThePathIsAnswered400() throws Exception {
        assertEquals(400, badPercentEncoding().status());
    }

    @Test
    void aBadPercentEncodingInThePathIsAnsweredWithAProblem() throws Exception {
        assertEquals("application/problem+json", badPercentEncoding().header("content-type"));
    }

    private static RawHttp.Response oversizedHeaders() throws Exception {
        return RawHttp.exchange(server.port(), "GET /v1/sms/unknownIdOf21Chars-xy HTTP/1.1",
                "X-Padding: " + "x".repeat(JETTY_HEADER_LIMIT));
    }

    private static RawHttp.Response badPercentEncoding() throws Exception {
        return RawHttp.exchange(server.port(), "GET /v1/sms/%zz HTTP/1.1");
    }
}
