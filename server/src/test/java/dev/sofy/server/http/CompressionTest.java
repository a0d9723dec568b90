package dev.sofy.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Answers large enough to gain from it are gzipped for clients that accept gzip, and only for them. */
final class CompressionTest {
    private static final int SMS_COUNT = 10;
    private static TestServer server;
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @BeforeAll
    static void startServerWithSomeSms() throws Exception {
        server = TestServer.start();
        for (int i = 0; i < SMS_COUNT; i++) {
            server.createSms();
        }
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void aListOfSmsIsGzippedForAClientThatAcceptsGzip() throws Exception {
        HttpResponse<byte[]> response = list(Optional.of("gzip"));

        assertEquals(Optional.of("gzip"), response.headers().firstValue("Content-Encoding"));
        try (var gzip = new GZIPInputStream(new ByteArrayInputStream(response.body()))) {
            assertTrue(new String(gzip.readAllBytes(), StandardCharsets.UTF_8).startsWith("{\"data\":[{"));
        }
    }

    @Test
    void aListOfSmsIsNotCompressedForAClientThatDoesNotAskForIt() throws Exception {
        HttpResponse<byte[]> response = list(Optional.empty());

        assertEquals(Optional.empty(), response.headers().firstValue("Content-Encoding"));
        assertTrue(new String(response.body(), StandardCharsets.UTF_8).startsWith("{\"data\":[{"));
    }

    private static HttpResponse<byte[]> list(Optional<String> acceptEncoding) throws Exception {
        var request = HttpRequest.newBuilder(server.baseUri().resolve("/v1/sms?limit=" + SMS_COUNT))
                .header("X-API-KEY-ID", TestServer.KEY.id())
                .header("X-API-KEY-SECRET", TestServer.KEY.secret());
        acceptEncoding.ifPresent(coding -> request.header("Accept-Encoding", coding));
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
