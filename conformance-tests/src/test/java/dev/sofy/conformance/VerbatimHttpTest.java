package dev.sofy.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sofy.testing.KeyPair;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The harness sends the seed's curl request as curl does: the bytes a listening socket receives. */
final class VerbatimHttpTest {
    /** What curl 7.88.1 sent for the seed's command, captured on a socket; only the port differs. */
    private static final String CURL_WIRE = "POST /v1/sms HTTP/1.1\r\n"
            + "Host: 127.0.0.1:%d\r\n"
            + "User-Agent: curl/7.88.1\r\n"
            + "accept: application/json\r\n"
            + "X-API-KEY-ID: kid\r\n"
            + "X-API-KEY-SECRET: a-secret-of-some-length \r\n"
            + "Content-Type: application/json\r\n"
            + "Content-Length: 135\r\n"
            + "\r\n"
            + "{\n    \"from\": \"APITEST\",\n    \"to\": \"590690112233\",\n    \"body\": \"Hello world\",\n"
            + "    \"shortenUrls\": true,\n    \"isTransactional\": false\n  }";

    @Test
    void theSeedCurlRequestReachesTheServerAsCurlSendsIt() throws Exception {
        try (var listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> answerOnce(listener));
            URI baseUri = URI.create("http://127.0.0.1:" + listener.getLocalPort());

            Exchange exchange = VerbatimHttp.exchange(baseUri,
                    Seed.curlRequest(new KeyPair("kid", "a-secret-of-some-length")));

            assertEquals(String.format(CURL_WIRE, listener.getLocalPort()),
                    new String(received.get(30, TimeUnit.SECONDS), StandardCharsets.UTF_8));
            assertEquals(204, exchange.status());
        }
    }

    /** Reads one request (headers, then a body of its Content-Length) and answers 204. */
    private static byte[] answerOnce(ServerSocket listener) {
        try (Socket socket = listener.accept()) {
            InputStream in = socket.getInputStream();
            var request = new ByteArrayOutputStream();
            while (!request.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b == -1) {
                    break;
                }
                request.write(b);
            }
            String head = request.toString(StandardCharsets.ISO_8859_1);
            int lengthAt = head.indexOf("Content-Length: ");
            if (lengthAt >= 0) {
                int length = Integer.parseInt(head.substring(lengthAt + 16, head.indexOf("\r\n", lengthAt)));
                request.write(in.readNBytes(length));
            }
            socket.getOutputStream().write("HTTP/1.1 204 No Content\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            return request.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
