package dev.sofy.conformance;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sends {@link RawRequest}s, over java.net.http (HTTP/1.1, like curl) or verbatim over a socket,
 * records each exchange and holds it against the spec before the test sees it.
 */
final class RawRequestSender {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final URI baseUri;
    private final SpecValidator spec;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    RawRequestSender(URI baseUri, SpecValidator spec) {
        this.baseUri = baseUri;
        this.spec = spec;
    }

    /** Sends the request and returns the exchange, which has been checked as {@code check} says. */
    Exchange send(RawRequest request, SpecCheck check) {
        Exchange exchange = exchange(request);
        spec.assertConforms(exchange, check);
        return exchange;
    }

    /** Sends the request and returns the exchange, unchecked: the caller checks it against the spec later. */
    Exchange exchange(RawRequest request) {
        if (request.wire() == RawRequest.Wire.VERBATIM) {
            return VerbatimHttp.exchange(baseUri, request);
        }
        URI uri = URI.create(baseUri + request.path());
        var builder = HttpRequest.newBuilder(uri).timeout(TIMEOUT).method(request.method(), publisher(request));
        Map<String, List<String>> sentHeaders = new LinkedHashMap<>();
        for (RawRequest.Header header : request.headers()) {
            builder.header(header.name(), header.value());
            sentHeaders.computeIfAbsent(header.name(), name -> new ArrayList<>()).add(header.value());
        }
        HttpResponse<byte[]> response;
        try {
            response = http.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + uri + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        return new Exchange(request.method(), uri, request.path(), sentHeaders, request.body(),
                response.statusCode(), response.headers().map(), ContentCoding.decoded(response.headers(), response.body()));
    }

    private static HttpRequest.BodyPublisher publisher(RawRequest request) {
        if (request.body().length == 0) {
            return HttpRequest.BodyPublishers.noBody();
        }
        byte[] body = request.body();
        return request.wire() == RawRequest.Wire.CHUNKED
                ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))
                : HttpRequest.BodyPublishers.ofByteArray(body);
    }
}
