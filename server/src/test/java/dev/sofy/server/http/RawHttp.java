package dev.sofy.server.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * HTTP/1.1 over a plain socket, for what {@link java.net.http.HttpClient} will not send or hides:
 * malformed request targets, and whether a HEAD answer really carries no body.
 */
final class RawHttp {
    private static final int READ_TIMEOUT_MILLIS = 20_000;

    private RawHttp() {}

    record Response(int status, Map<String, String> headers, String body) {
        /** A header by its name in lower case. */
        String header(String lowerCaseName) {
            return headers.get(lowerCaseName);
        }
    }

    /** Sends the request head (lines without their CRLF) with {@code Connection: close}, and reads the answer to its end. */
    static Response exchange(int port, String requestLine, String... headerLines) throws IOException {
        return exchangeFrom(InetAddress.getLoopbackAddress(), port, requestLine, headerLines);
    }

    /** As {@link #exchange}, from this local address: any of 127.0.0.0/8 plays another client. */
    static Response exchangeFrom(InetAddress local, int port, String requestLine, String... headerLines)
            throws IOException {
        var request = new StringBuilder(requestLine).append("\r\n").append("Host: 127.0.0.1:").append(port).append("\r\n");
        for (String headerLine : headerLines) {
            request.append(headerLine).append("\r\n");
        }
        request.append("Connection: close\r\n\r\n");
        try (var socket = new Socket(InetAddress.getLoopbackAddress(), port, local, 0)) {
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return parse(readAll(socket.getInputStream()));
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        var bytes = new ByteArrayOutputStream();
        in.transferTo(bytes);
        return bytes.toByteArray();
    }

    private static Response parse(byte[] raw) {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int headEnd = text.indexOf("\r\n\r\n");
        if (headEnd < 0) {
            throw new AssertionError("not an HTTP response: " + text);
        }
        String[] headLines = text.substring(0, headEnd).split("\r\n");
        int status = Integer.parseInt(headLines[0].split(" ", 3)[1]);
        Map<String, String> headers = new TreeMap<>();
        for (int i = 1; i < headLines.length; i++) {
            String[] nameAndValue = headLines[i].split(":", 2);
            headers.put(nameAndValue[0].strip().toLowerCase(Locale.ROOT), nameAndValue[1].strip());
        }
        String body = new String(raw, headEnd + 4, raw.length - headEnd - 4, StandardCharsets.UTF_8);
        return new Response(status, headers, body);
    }
}
