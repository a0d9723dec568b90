package dev.sofy.conformance;

import dev.sofy.testing.KeyPair;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A request exactly as the test spells it: method, path, headers in order with their names' case, and body bytes. */
record RawRequest(String method, String path, List<Header> headers, byte[] body, Wire wire) {

    record Header(String name, String value) {}

    /** How the request goes on the wire. */
    enum Wire {
        /** java.net.http with a {@code Content-Length}; it sorts headers and trims their values. */
        JAVA_CLIENT,
        /** java.net.http with {@code Transfer-Encoding: chunked} and no length. */
        CHUNKED,
        /**
         * A socket, byte for byte as curl sends it: the request line, {@code Host}, the headers as
         * given (order, case, surrounding spaces), {@code Content-Length}, the body.
         */
        VERBATIM
    }

    RawRequest {
        headers = List.copyOf(headers);
        body = body.clone();
    }

    static RawRequest get(String path) {
        return of("GET", path);
    }

    static RawRequest head(String path) {
        return of("HEAD", path);
    }

    static RawRequest post(String path) {
        return of("POST", path);
    }

    static RawRequest put(String path) {
        return of("PUT", path);
    }

    static RawRequest of(String method, String path) {
        return new RawRequest(method, path, List.of(), new byte[0], Wire.JAVA_CLIENT);
    }

    RawRequest header(String name, String value) {
        var more = new ArrayList<>(headers);
        more.add(new Header(name, value));
        return new RawRequest(method, path, more, body, wire);
    }

    /** Both key headers, as the seed's examples send them. */
    RawRequest key(KeyPair key) {
        return header(KeyPair.ID_HEADER, key.id()).header(KeyPair.SECRET_HEADER, key.secret());
    }

    /** A body with {@code Content-Type: application/json}. */
    RawRequest json(String json) {
        return header("Content-Type", "application/json").body(json);
    }

    RawRequest body(String text) {
        return body(text.getBytes(StandardCharsets.UTF_8));
    }

    RawRequest body(byte[] bytes) {
        return new RawRequest(method, path, headers, bytes, wire);
    }

    RawRequest inChunks() {
        return new RawRequest(method, path, headers, body, Wire.CHUNKED);
    }

    RawRequest verbatim() {
        return new RawRequest(method, path, headers, body, Wire.VERBATIM);
    }
}
