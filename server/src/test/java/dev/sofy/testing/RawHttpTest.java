package dev.sofy.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The helper reads answers as a server's tests need them, from a socket that answers once. */
final class RawHttpTest {
    @Test
    void aBodyAfterAnAnswerToHeadShowsWhenTheConnectionCloses() throws Exception {
        String answer = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nstray";

        RawHttp.Response response = answeredOnce(answer, true,
                port -> RawHttp.exchange(port, "HEAD /v1/sms/x HTTP/1.1"));

        assertEquals("stray", response.body());
    }

    @Test
    void aChunkedBodyIsReadWithoutItsFraming() throws Exception {
        String answer = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nHello\r\n6\r\n world\r\n0\r\n\r\n";

        RawHttp.Response response = answeredOnce(answer, true,
                port -> RawHttp.exchange(port, "GET / HTTP/1.1"));

        assertEquals("Hello world", response.body());
    }

    @Test
    void anAnswerOnAConnectionLeftOpenIsReadToTheEndOfItsLength() throws Exception {
        String answer = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\ncontent-type: again\r\nContent-Length: 2\r\n\r\nok";

        RawHttp.Response response = answeredOnce(answer, false, port -> RawHttp.exchange(
                URI.create("http://127.0.0.1:" + port), null, List.of("GET / HTTP/1.1", "Host: x"), new byte[0]));

        assertEquals("ok", response.body());
        assertEquals(List.of("Content-Type", "content-type", "Content-Length"), List.copyOf(response.headers().keySet()));
        assertEquals("text/plain", response.header("CONTENT-TYPE"));
    }

    private interface Exchange {
        RawHttp.Response with(int port) throws IOException;
    }

    /**
     * Answers the first request on a new socket with {@code answer}, closing the connection after
     * it or only once the exchange is over.
     */
    private static RawHttp.Response answeredOnce(String answer, boolean close, Exchange exchange) throws Exception {
        try (var listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            var exchanged = new CountDownLatch(1);
            CompletableFuture<Void> served = CompletableFuture.runAsync(() -> {
                try (Socket socket = listener.accept()) {
                    readHead(socket.getInputStream());
                    socket.getOutputStream().write(answer.getBytes(StandardCharsets.ISO_8859_1));
                    socket.getOutputStream().flush();
                    if (!close) {
                        exchanged.await(30, TimeUnit.SECONDS);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            try {
                return exchange.with(listener.getLocalPort());
            } finally {
                exchanged.countDown();
                served.get(30, TimeUnit.SECONDS);
            }
        }
    }

    private static void readHead(InputStream in) throws IOException {
        var head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b == -1) {
                return;
            }
            head.write(b);
        }
    }
}
