package dev.sofy.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Clients that hold connections without finishing their requests: a deadline on request headers,
 * however slowly they trickle in, and a cap on connections.
 */
final class SlowClientsTest {
    private static final int MAX_CONNECTIONS = 4;
    private static final long HEADER_DEADLINE_MILLIS = 2_000;
    /** A short deadline on headers. */
    private static TestServer server;
    /**
     * A cap of a few connections, on a server of its own: a connection a test closed still counts
     * until the server has seen it closed, and must not refuse the next test's.
     */
    private static TestServer capped;

    @BeforeAll
    static void startServers() {
        server = TestServer.start(Map.of("SOFY_REQUEST_HEADER_TIMEOUT", HEADER_DEADLINE_MILLIS + "ms"));
        capped = TestServer.start(Map.of("SOFY_MAX_CONNECTIONS", Integer.toString(MAX_CONNECTIONS)));
    }

    @AfterAll
    static void stopServers() {
        server.close();
        capped.close();
    }

    @Test
    void aClientTricklingItsHeadersIsDisconnectedSoonAfterTheDeadline() throws Exception {
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write(ascii("GET /v1/sms HTTP/1.1\r\nHost: 127.0.0.1\r\n"));
            long started = System.nanoTime();
            boolean closed = false;
            // A header line every 300 ms: each resets Jetty's idle timeout, never the deadline.
            while (!closed && millisSince(started) < 4 * HEADER_DEADLINE_MILLIS) {
                Thread.sleep(300);
                try {
                    out.write(ascii("X-Trickle: " + millisSince(started) + "\r\n"));
                    out.flush();
                    closed = isClosed(socket, 1);
                } catch (SocketException writeToClosed) {
                    closed = true;
                }
            }
            assertTrue(closed, "still open " + millisSince(started) + " ms after the first header line");
            assertTrue(millisSince(started) >= HEADER_DEADLINE_MILLIS, "closed before the deadline");
        }
    }

    @Test
    void aClientWhoseHeadersArriveSlowlyButWithinTheDeadlineIsAnswered() throws Exception {
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            for (String line : List.of("GET /v1/sms HTTP/1.1\r\n", "Host: 127.0.0.1\r\n", "Accept: */*\r\n", "\r\n")) {
                out.write(ascii(line));
                out.flush();
                Thread.sleep(HEADER_DEADLINE_MILLIS / 8);
            }
            assertEquals("HTTP/1.1 401", statusLine(socket.getInputStream()).substring(0, 12));
        }
    }

    @Test
    void anIdleKeptAliveConnectionOutlivesTheHeaderDeadline() throws Exception {
        try (Socket socket = connect()) {
            byte[] request = ascii("GET /v1/sms HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n");
            socket.getOutputStream().write(request);
            assertTrue(statusLine(socket.getInputStream()).startsWith("HTTP/1.1 401"));
            drainAvailable(socket);
            Thread.sleep(HEADER_DEADLINE_MILLIS + 1_000);
            socket.getOutputStream().write(request);
            assertTrue(statusLine(socket.getInputStream()).startsWith("HTTP/1.1 401"));
        }
    }

    @Test
    void aConnectionBeyondTheCapIsClosedUnanswered() throws Exception {
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < MAX_CONNECTIONS; i++) {
                Socket socket = connect(capped);
                held.add(socket);
                socket.getOutputStream().write(ascii("GET /v1/sms HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
                assertTrue(statusLine(socket.getInputStream()).startsWith("HTTP/1.1 401"), "connection " + i);
            }
            try (Socket oneTooMany = connect(capped)) {
                assertTrue(isClosed(oneTooMany, 5_000), "a connection over the cap was kept");
            }
            held.remove(0).close();
            assertTrue(servedWithin(10_000), "no connection was served after one of the cap's closed");
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
    }

    private static Socket connect() throws IOException {
        return connect(server);
    }

    private static Socket connect(TestServer to) throws IOException {
        var socket = new Socket(InetAddress.getLoopbackAddress(), to.port());
        socket.setSoTimeout(10_000);
        return socket;
    }

    /** Whether a new connection to the capped server is answered, tried until the time is up. */
    private static boolean servedWithin(long millis) throws Exception {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < deadline) {
            try (Socket socket = connect(capped)) {
                socket.getOutputStream().write(ascii("GET /v1/sms HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
                if (statusLine(socket.getInputStream()).startsWith("HTTP/1.1 401")) {
                    return true;
                }
            } catch (IOException refusedStill) {
                // the server has not seen the closed connection yet
            }
            Thread.sleep(50);
        }
        return false;
    }

    /** Whether the server closed the connection (end of stream or a reset) within the time given. */
    private static boolean isClosed(Socket socket, int withinMillis) throws IOException {
        int before = socket.getSoTimeout();
        socket.setSoTimeout(withinMillis);
        try {
            int read = socket.getInputStream().read();
            assertFalse(read >= 0, "the server answered instead of closing");
            return true;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (SocketException reset) {
            return true;
        } finally {
            if (!socket.isClosed()) {
                socket.setSoTimeout(before);
            }
        }
    }

    private static String statusLine(InputStream in) throws IOException {
        var line = new StringBuilder();
        for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
            line.append((char) c);
        }
        return line.toString().strip();
    }

    /** Reads the rest of an answer: its headers, and its body as Content-Length says. */
    private static void drainAvailable(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        int contentLength = 0;
        for (String header = statusLine(in); !header.isEmpty(); header = statusLine(in)) {
            if (header.toLowerCase().startsWith("content-length:")) {
                contentLength = Integer.parseInt(header.substring("content-length:".length()).strip());
            }
        }
        in.readNBytes(contentLength);
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
