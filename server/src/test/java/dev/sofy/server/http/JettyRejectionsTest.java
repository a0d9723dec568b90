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

    @Test
    void requestHeadersOver8KiBAreAProblemNamingThePath() throws Exception {
        assertEquals("\"instance\":\"/v1/sms/unknownIdOf21Chars-xy\"", instance(oversizedHeaders().body()));
    }

    @Test
    void aBadPercentEncodingInThePathIsAProblemNamingThePath() throws Exception {
        assertEquals("\"instance\":\"/v1/sms/%zz\"", instance(badPercentEncoding().body()));
    }

    @Test
    void aHeadWithABadPercentEncodingInThePathHasNoBody() throws Exception {
        RawHttp.Response response = RawHttp.exchange(server.port(), "HEAD /v1/sms/%zz HTTP/1.1");

        assertEquals(400, response.status());
        assertEquals("", response.body());
    }

    @Test
    void aDeleteWithInvalidUtf8InThePathIsAProblem() throws Exception {
        RawHttp.Response response = RawHttp.exchange(server.port(), "DELETE /v1/opt-outs/%FF HTTP/1.1");

        assertEquals(400, response.status());
        assertEquals("application/problem+json", response.header("content-type"));
    }

    private static String instance(String problem) {
        var matcher = java.util.regex.Pattern.compile("\"instance\":\"[^\"]*\"").matcher(problem);
        return matcher.find() ? matcher.group() : problem;
    }

    private static RawHttp.Response oversizedHeaders() throws Exception {
        return RawHttp.exchange(server.port(), "GET /v1/sms/unknownIdOf21Chars-xy HTTP/1.1",
                "X-Padding: " + "x".repeat(JETTY_HEADER_LIMIT));
    }

    private static RawHttp.Response badPercentEncoding() throws Exception {
        return RawHttp.exchange(server.port(), "GET /v1/sms/%zz HTTP/1.1");
    }
}
