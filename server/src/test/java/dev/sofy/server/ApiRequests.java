package dev.sofy.server;

import dev.sofy.testing.KeyPair;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Requests to the API as a client sends them, for tests that go through a real server. */
public final class ApiRequests {
    /** A request that the server must accept: the seed's own example. */
    public static final String VALID_SMS_JSON = """
            {"from": "APITEST", "to": "590690112233", "body": "Hello world", "shortenUrls": true, "isTransactional": false}""";

    private static final String KEY_ID_LINE = KeyPair.ID_HEADER + ": ";
    private static final String KEY_SECRET_LINE = KeyPair.SECRET_HEADER + ": ";
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private ApiRequests() {}

    /** Whether a line of output shows a key: its id or its secret. */
    public static boolean showsAKey(String line) {
        return line.startsWith(KEY_ID_LINE) || line.startsWith(KEY_SECRET_LINE);
    }

    public static HttpRequest.Builder authenticated(URI uri, KeyPair key) {
        return HttpRequest.newBuilder(uri)
                .timeout(TIMEOUT)
                .header(KeyPair.ID_HEADER, key.id())
                .header(KeyPair.SECRET_HEADER, key.secret());
    }

    public static HttpRequest createSms(URI baseUri, KeyPair key, String json) {
        return authenticated(baseUri.resolve("/v1/sms"), key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
    }

    public static HttpRequest getSms(URI baseUri, KeyPair key, String id) {
        return authenticated(baseUri.resolve("/v1/sms/" + id), key).GET().build();
    }

    /** The id of the SMS a 201 created, from its {@code Location: /v1/sms/{id}}. */
    public static String createdId(HttpResponse<?> response) {
        String location = response.headers().firstValue("Location")
                .orElseThrow(() -> new AssertionError("a 201 without a Location header"));
        return location.substring(location.lastIndexOf('/') + 1);
    }
}
