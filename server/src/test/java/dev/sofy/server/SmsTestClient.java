package dev.sofy.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sofy.testing.KeyPair;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A test's client of one server's SMS API, in plain JSON over java.net.http: send, read back, and
 * wait, within a deadline, until SMS reach the states a test expects.
 */
public final class SmsTestClient {
    public static final ObjectMapper JSON = new ObjectMapper();
    /** The statuses an SMS never leaves. */
    public static final Set<String> FINAL = Set.of("delivered", "undelivered", "errored");
    private static final Duration POLL_INTERVAL = Duration.ofMillis(50);

    private final HttpClient client;
    private final URI baseUri;
    private final KeyPair key;

    public SmsTestClient(HttpClient client, URI baseUri, KeyPair key) {
        this.client = client;
        this.baseUri = baseUri;
        this.key = key;
    }

    public static HttpClient newClient() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    public URI baseUri() {
        return baseUri;
    }

    /** The request body of an SMS; {@code shortenUrls} is off, so the text sent is the body plus any mention. */
    public static String smsJson(String from, String to, String body, boolean transactional) {
        ObjectNode json = JSON.createObjectNode()
                .put("from", from)
                .put("to", to)
                .put("body", body)
                .put("shortenUrls", false)
                .put("isTransactional", transactional);
        return json.toString();
    }

    /** Sends the SMS and returns the 201's body; any other answer fails the test. */
    public JsonNode send(String json) throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(ApiRequests.createSms(baseUri, key, json),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new AssertionError("sending " + json + " answered " + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body());
    }

    public JsonNode send(String to, String body, boolean transactional) throws IOException, InterruptedException {
        return send(smsJson("APITEST", to, body, transactional));
    }

    public JsonNode get(String id) throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(ApiRequests.getSms(baseUri, key, id),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new AssertionError("GET /v1/sms/" + id + " answered " + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body());
    }

    /** A POST of any JSON body, with the key; for the other resources. */
    public HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        HttpRequest request = ApiRequests.authenticated(baseUri.resolve(path), key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Reads the SMS again and again until each satisfies {@code done} or the timeout has passed,
     * and returns them as last read, in the order of {@code ids}.
     */
    public Map<String, JsonNode> poll(Collection<String> ids, Predicate<JsonNode> done, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, JsonNode> last = new LinkedHashMap<>();
        ids.forEach(id -> last.put(id, null));
        Set<String> waiting = new LinkedHashSet<>(ids);
        while (true) {
            for (var iterator = waiting.iterator(); iterator.hasNext(); ) {
                String id = iterator.next();
                JsonNode sms;
                try {
                    sms = get(id);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                last.put(id, sms);
                if (done.test(sms)) {
                    iterator.remove();
                }
            }
            if (waiting.isEmpty() || System.nanoTime() - deadline >= 0) {
                return last;
            }
            TimeUnit.MILLISECONDS.sleep(POLL_INTERVAL.toMillis());
        }
    }

    /**
     * {@link #poll} that fails, naming the SMS that did not satisfy {@code done} and how they were,
     * once the timeout has passed.
     */
    public Map<String, JsonNode> awaitAll(Collection<String> ids, Predicate<JsonNode> done, Duration timeout)
            throws InterruptedException {
        Map<String, JsonNode> last = poll(ids, done, timeout);
        Map<String, String> notDone = new LinkedHashMap<>();
        last.forEach((id, sms) -> {
            if (!done.test(sms)) {
                notDone.put(id, describe(sms));
            }
        });
        if (!notDone.isEmpty()) {
            throw new AssertionError(notDone.size() + " of " + ids.size() + " SMS not as expected within "
                    + timeout + ": " + notDone);
        }
        return last;
    }

    /** The status of an SMS, with its reason when it has one. */
    public static String describe(JsonNode sms) {
        String reason = sms.path("statusReason").asText();
        return sms.path("status").asText() + (reason.isEmpty() ? "" : " (" + reason + ")");
    }

    /** {@link #awaitAll} until each SMS has a final status. */
    public Map<String, JsonNode> awaitFinal(Collection<String> ids, Duration timeout) throws InterruptedException {
        return awaitAll(ids, SmsTestClient::isFinal, timeout);
    }

    /** {@link #awaitAll} for one SMS. */
    public JsonNode await(String id, Predicate<JsonNode> done, Duration timeout) throws InterruptedException {
        return awaitAll(Set.of(id), done, timeout).get(id);
    }

    public static boolean isFinal(JsonNode sms) {
        return FINAL.contains(sms.path("status").asText());
    }

    public static Predicate<JsonNode> hasStatus(String status) {
        return sms -> status.equals(sms.path("status").asText());
    }
}
