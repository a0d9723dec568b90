package dev.sofy.conformance;

import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.Response;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP request and its answer, as bytes on the wire (the response body decoded from any
 * {@code Content-Encoding}). {@code path} is the request path relative to the target's base URL,
 * which is how the spec names it.
 */
record Exchange(
        String method,
        URI uri,
        String path,
        Map<String, List<String>> requestHeaders,
        byte[] requestBody,
        int status,
        Map<String, List<String>> responseHeaders,
        byte[] responseBody) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int DESCRIBED_BODY_LENGTH = 2000;

    Exchange {
        requestHeaders = inOrder(requestHeaders);
        responseHeaders = inOrder(responseHeaders);
    }

    /** The first value of a response header, found whatever the case of its name. */
    Optional<String> responseHeader(String name) {
        return responseHeaders.entrySet().stream()
                .filter(header -> header.getKey().equalsIgnoreCase(name) && !header.getValue().isEmpty())
                .map(header -> header.getValue().get(0))
                .findFirst();
    }

    String responseText() {
        return new String(responseBody, StandardCharsets.UTF_8);
    }

    /** The response body as JSON; fails the test if it is not JSON. */
    JsonNode responseJson() {
        try {
            return JSON.readTree(responseBody);
        } catch (IOException e) {
            throw new UncheckedIOException("the response body is not JSON:\n" + describe(), e);
        }
    }

    /** The path without its query string: what the spec's paths name. */
    String specPath() {
        int query = path.indexOf('?');
        return query < 0 ? path : path.substring(0, query);
    }

    Request validatorRequest() {
        var builder = new SimpleRequest.Builder(method, specPath());
        queryParameters().forEach(builder::withQueryParam);
        requestHeaders.forEach(builder::withHeader);
        if (requestBody.length > 0) {
            builder.withBody(requestBody);
        }
        return builder.build();
    }

    Response validatorResponse() {
        var builder = new SimpleResponse.Builder(status);
        responseHeaders.forEach(builder::withHeader);
        if (responseBody.length > 0) {
            builder.withBody(responseBody);
        }
        return builder.build();
    }

    private Map<String, List<String>> queryParameters() {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        int query = path.indexOf('?');
        if (query < 0) {
            return parameters;
        }
        for (String pair : path.substring(query + 1).split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            String[] nameAndValue = pair.split("=", 2);
            String name = URLDecoder.decode(nameAndValue[0], StandardCharsets.UTF_8);
            String value = nameAndValue.length > 1 ? URLDecoder.decode(nameAndValue[1], StandardCharsets.UTF_8) : "";
            parameters.computeIfAbsent(name, key -> new ArrayList<>()).add(value);
        }
        return parameters;
    }

    /** The exchange as text for failure messages, with long bodies clipped. */
    String describe() {
        var text = new StringBuilder();
        text.append(method).append(' ').append(uri).append('\n');
        requestHeaders.forEach((name, values) -> values.forEach(v -> text.append(name).append(": ").append(v).append('\n')));
        text.append('\n').append(clip(new String(requestBody, StandardCharsets.UTF_8))).append("\n\n");
        text.append("HTTP ").append(status).append('\n');
        responseHeaders.forEach((name, values) -> values.forEach(v -> text.append(name).append(": ").append(v).append('\n')));
        text.append('\n').append(clip(responseText())).append('\n');
        return text.toString();
    }

    private static String clip(String body) {
        return body.length() <= DESCRIBED_BODY_LENGTH ? body
                : body.substring(0, DESCRIBED_BODY_LENGTH) + "… (" + body.length() + " characters)";
    }

    /** The headers in the order given, names differing only in case merged under the first spelling. */
    private static Map<String, List<String>> inOrder(Map<String, List<String>> headers) {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        headers.forEach((name, values) -> {
            // HTTP/2 pseudo-headers such as :status are not headers of the exchange.
            if (!name.startsWith(":")) {
                String known = copy.keySet().stream().filter(name::equalsIgnoreCase).findFirst().orElse(name);
                copy.computeIfAbsent(known, key -> new ArrayList<>()).addAll(values);
            }
        });
        copy.replaceAll((name, values) -> List.copyOf(values));
        return Collections.unmodifiableMap(copy);
    }
}
