package dev.sofy.conformance;

import dev.sofy.testing.RawHttp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link RawRequest} sent byte for byte, over {@link RawHttp}: java.net.http sorts headers and
 * trims their values, so it cannot send the seed's curl request, whose secret header ends with a
 * space, nor a target with a malformed escape. One request a connection.
 */
final class VerbatimHttp {
    private VerbatimHttp() {}

    static Exchange exchange(URI baseUri, RawRequest request) {
        URI uri = recorded(baseUri, request.path());
        Map<String, List<String>> sentHeaders = new LinkedHashMap<>();
        List<String> head = new ArrayList<>();
        // The target as the test spells it, query included: it may be malformed on purpose.
        String basePath = baseUri.getRawPath() == null ? "" : baseUri.getRawPath();
        head.add(request.method() + " " + basePath + request.path() + " HTTP/1.1");
        line(head, sentHeaders, "Host", baseUri.getHost() + (baseUri.getPort() == -1 ? "" : ":" + baseUri.getPort()));
        request.headers().forEach(header -> line(head, sentHeaders, header.name(), header.value()));
        if (request.body().length > 0) {
            line(head, sentHeaders, "Content-Length", Integer.toString(request.body().length));
        }
        RawHttp.Response response;
        try {
            response = RawHttp.exchange(baseUri, null, head, request.body());
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + uri + " failed", e);
        }
        return new Exchange(request.method(), uri, request.path(), sentHeaders, request.body(), response.status(),
                response.headers(), ContentCoding.decoded(HttpHeaders.of(response.headers(), (name, value) -> true),
                        response.bodyBytes()));
    }

    /** The URI of the exchange, for its record; a target with a malformed escape is recorded with that escape quoted. */
    private static URI recorded(URI baseUri, String path) {
        try {
            return URI.create(baseUri + path);
        } catch (IllegalArgumentException e) {
            return URI.create(baseUri + path.replaceAll("%(?![0-9A-Fa-f]{2})", "%25"));
        }
    }

    private static void line(List<String> head, Map<String, List<String>> sent, String name, String value) {
        head.add(name + ": " + value);
        sent.computeIfAbsent(name, key -> new ArrayList<>()).add(value);
    }
}
