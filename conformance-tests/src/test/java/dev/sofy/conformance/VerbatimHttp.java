package dev.sofy.conformance;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLSocketFactory;

/**
 * HTTP/1.1 over a socket, for requests that must reach the server byte for byte: java.net.http
 * sorts headers and trims their values, so it cannot send the seed's curl request, whose secret
 * header ends with a space, nor a target with a malformed escape. One request a connection; the
 * answer to a {@code HEAD} that asks to close it is read to the end, so that a body shows.
 */
final class VerbatimHttp {
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;
    private static final int READ_TIMEOUT_MILLIS = 30_000;

    private VerbatimHttp() {}

    static Exchange exchange(URI baseUri, RawRequest request) {
        URI uri = recorded(baseUri, request.path());
        boolean tls = "https".equalsIgnoreCase(baseUri.getScheme());
        int port = baseUri.getPort() != -1 ? baseUri.getPort() : tls ? 443 : 80;
        Map<String, List<String>> sentHeaders = new LinkedHashMap<>();
        var head = new StringBuilder();
        // The target as the test spells it, query included: it may be malformed on purpose.
        String basePath = baseUri.getRawPath() == null ? "" : baseUri.getRawPath();
        head.append(request.method()).append(' ').append(basePath).append(request.path()).append(" HTTP/1.1\r\n");
        line(head, sentHeaders, "Host", baseUri.getHost() + (baseUri.getPort() == -1 ? "" : ":" + baseUri.getPort()));
        request.headers().forEach(header -> line(head, sentHeaders, header.name(), header.value()));
        if (request.body().length > 0) {
            line(head, sentHeaders, "Content-Length", Integer.toString(request.body().length));
        }
        head.append("\r\n");
        try (Socket socket = tls ? SSLSocketFactory.getDefault().createSocket() : new Socket()) {
            socket.connect(new InetSocketAddress(baseUri.getHost(), port), CONNECT_TIMEOUT_MILLIS);
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(request.body());
            out.flush();
            return read(new BufferedInputStream(socket.getInputStream()), request, uri, sentHeaders);
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + uri + " failed", e);
        }
    }

    /** The URI of the exchange, for its record; a target with a malformed escape is recorded with that escape quoted. */
    private static URI recorded(URI baseUri, String path) {
        try {
            return URI.create(baseUri + path);
        } catch (IllegalArgumentException e) {
            return URI.create(baseUri + path.replaceAll("%(?![0-9A-Fa-f]{2})", "%25"));
        }
    }

    private static void line(StringBuilder head, Map<String, List<String>> sent, String name, String value) {
        head.append(name).append(": ").append(value).append("\r\n");
        sent.computeIfAbsent(name, key -> new ArrayList<>()).add(value);
    }

    private static Exchange read(InputStream in, RawRequest request, URI uri, Map<String, List<String>> sentHeaders)
            throws IOException {
        String statusLine = readLine(in);
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            throw new IOException("not an HTTP status line: " + statusLine);
        }
        int status = Integer.parseInt(parts[1]);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
            int colon = line.indexOf(':');
            headers.computeIfAbsent(line.substring(0, colon).strip(), key -> new ArrayList<>())
                    .add(line.substring(colon + 1).strip());
        }
        byte[] body = readBody(in, request, status, headers);
        return new Exchange(request.method(), uri, request.path(), sentHeaders, request.body(), status, headers,
                ContentCoding.decoded(HttpHeaders.of(headers, (name, value) -> true), body));
    }

    private static byte[] readBody(InputStream in, RawRequest request, int status, Map<String, List<String>> headers)
            throws IOException {
        String method = request.method();
        if (method.equals("HEAD") && closes(request)) {
            // Read to the end of the connection: a body sent against the rules then shows.
            return in.readAllBytes();
        }
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
                // Trailers are not part of the exchange the spec describes.
            }
            return body.toByteArray();
        }
        String length = first(headers, "Content-Length");
        return length == null ? in.readAllBytes() : in.readNBytes(Integer.parseInt(length.strip()));
    }

    private static boolean closes(RawRequest request) {
        return request.headers().stream().anyMatch(header -> header.name().equalsIgnoreCase("Connection")
                && header.value().strip().equalsIgnoreCase("close"));
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
