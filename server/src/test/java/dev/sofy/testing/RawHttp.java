package dev.sofy.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLSocketFactory;

/**
 * HTTP/1.1 over a socket, one request a connection, for what {@link java.net.http.HttpClient}
 * will not send or hides: malformed request targets, headers byte for byte (java.net.http sorts
 * them and trims their values), and whether an answer carries a body where none belongs.
 */
public final class RawHttp {
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;
    private static final int READ_TIMEOUT_MILLIS = 30_000;

    private RawHttp() {}

    /**
     * An answer: its headers as they came (names in their case, in order) and its body,
     * de-chunked but not decoded from any {@code Content-Encoding}.
     */
    public record Response(int status, Map<String, List<String>> headers, byte[] bodyBytes) {
        /** The first value of a header, found whatever the case of its name; null when absent. */
        public String header(String name) {
            return headers.entrySet().stream()
                    .filter(header -> header.getKey().equalsIgnoreCase(name) && !header.getValue().isEmpty())
                    .map(header -> header.getValue().get(0))
                    .findFirst().orElse(null);
        }

        /** The body as UTF-8 text. */
        public String body() {
            return new String(bodyBytes, StandardCharsets.UTF_8);
        }
    }

    /**
     * Sends the request line and header lines (without their CRLF) to 127.0.0.1 with a {@code Host}
     * and {@code Connection: close}, and reads the answer to the close.
     */
    public static Response exchange(int port, String requestLine, String... headerLines) throws IOException {
        return exchangeFrom(InetAddress.getLoopbackAddress(), port, requestLine, headerLines);
    }

    /** As {@link #exchange(int, String, String...)}, from this local address: any of 127.0.0.0/8 plays another client. */
    public static Response exchangeFrom(InetAddress local, int port, String requestLine, String... headerLines)
            throws IOException {
        var head = new ArrayList<String>();
        head.add(requestLine);
        head.add("Host: 127.0.0.1:" + port);
        head.addAll(List.of(headerLines));
        head.add("Connection: close");
        return exchange(URI.create("http://127.0.0.1:" + port), local, head, new byte[0]);
    }

    /**
     * Writes the head lines (the request line, then header lines, each without its CRLF) and the
     * body to the server of {@code server} (over TLS for https), exactly as given: nothing is added.
     * Reads the answer by its framing; when the head says {@code Connection: close}, anything the
     * server sends after it, up to the close, is kept at the body's end, so that a body where none
     * belongs (an answer to HEAD, a 204) shows.
     *
     * @param local the local address to send from, or null for any
     */
    public static Response exchange(URI server, InetAddress local, List<String> headLines, byte[] body)
            throws IOException {
        boolean tls = "https".equalsIgnoreCase(server.getScheme());
        int port = server.getPort() != -1 ? server.getPort() : tls ? 443 : 80;
        var head = new StringBuilder();
        headLines.forEach(line -> head.append(line).append("\r\n"));
        head.append("\r\n");
        try (Socket socket = tls ? SSLSocketFactory.getDefault().createSocket() : new Socket()) {
            if (local != null) {
                socket.bind(new InetSocketAddress(local, 0));
            }
            socket.connect(new InetSocketAddress(server.getHost(), port), CONNECT_TIMEOUT_MILLIS);
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            String method = headLines.get(0).split(" ", 2)[0];
            return read(new BufferedInputStream(socket.getInputStream()), method, closes(headLines));
        }
    }

    private static boolean closes(List<String> headLines) {
        return headLines.stream().skip(1)
                .map(line -> line.toLowerCase(Locale.ROOT).replace(" ", ""))
                .anyMatch(line -> line.equals("connection:close"));
    }

    private static Response read(InputStream in, String method, boolean toTheClose) throws IOException {
        String statusLine = readLine(in);
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            throw new IOException("not an HTTP status line: " + statusLine);
        }
        int status = Integer.parseInt(parts[1]);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                throw new IOException("not an HTTP header line: " + line);
            }
            headers.computeIfAbsent(line.substring(0, colon).strip(), key -> new ArrayList<>())
                    .add(line.substring(colon + 1).strip());
        }
        var body = new ByteArrayOutputStream();
        body.write(readBody(in, method, status, headers));
        if (toTheClose) {
            in.transferTo(body);
        }
        headers.replaceAll((name, values) -> List.copyOf(values));
        return new Response(status, Collections.unmodifiableMap(headers), body.toByteArray());
    }

    private static byte[] readBody(InputStream in, String method, int status, Map<String, List<String>> headers)
            throws IOException {
        if (method.equals("HEAD") || status / 100 == 1 || status == 204 || status == 304) {
            return new byte[0];
        }
        String transferEncoding = first(headers, "Transfer-Encoding");
        if (transferEncoding != null && transferEncoding.toLowerCase(Locale.ROOT).contains("chunked")) {
            var body = new ByteArrayOutputStream();
            for (int size = chunkSize(readLine(in)); size > 0; size = chunkSize(readLine(in))) {
                body.write(in.readNBytes(size));
                readLine(in);
            }
            for (String trailer = readLine(in); !trailer.isEmpty(); trailer = readLine(in)) {
                // Trailers are not part of the body.
            }
            return body.toByteArray();
        }
        String length = first(headers, "Content-Length");
        return length == null ? in.readAllBytes() : in.readNBytes(Integer.parseInt(length.strip()));
    }

    private static int chunkSize(String line) {
        int extension = line.indexOf(';');
        return Integer.parseInt((extension < 0 ? line : line.substring(0, extension)).strip(), 16);
    }

    private static String first(Map<String, List<String>> headers, String name) {
        return headers.entrySet().stream()
                .filter(header -> header.getKey().equalsIgnoreCase(name))
                .map(header -> header.getValue().get(0))
                .findFirst().orElse(null);
    }

    private static String readLine(InputStream in) throws IOException {
        var line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b == -1) {
                throw new EOFException("the connection closed in the middle of a line");
            }
            line.write(b);
        }
        byte[] bytes = line.toByteArray();
        int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
    }
}
