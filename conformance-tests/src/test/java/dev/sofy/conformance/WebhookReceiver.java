package dev.sofy.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * A webhook endpoint on 127.0.0.1: it records every request and answers each with the status its
 * policy gives for the request's number (0 for the first). Requests are recorded before they are
 * answered, so that a test waiting for one sees it as soon as the server could.
 */
final class WebhookReceiver implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request as the endpoint got it, and the status it answered. */
    record Request(Map<String, List<String>> headers, byte[] body, int answered, Instant receivedAt) {
        /** A header, whatever the case of its name; empty string if absent. */
        String header(String name) {
            return headers.entrySet().stream()
                    .filter(header -> header.getKey().equalsIgnoreCase(name) && !header.getValue().isEmpty())
                    .map(header -> header.getValue().get(0))
                    .findFirst().orElse("");
        }

        String webhookId() {
            return header("webhook-id");
        }

        JsonNode event() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("a webhook body is not JSON: " + this, e);
            }
        }

        String type() {
            return event().path("type").asText();
        }

        String smsId() {
            return event().path("data").path("sms").path("id").asText();
        }

        /** The status the SMS has in the event. */
        String smsStatus() {
            return event().path("data").path("sms").path("status").asText();
        }

        long sequence() {
            return event().path("sequence").asLong();
        }

        boolean acknowledged() {
            return answered >= 200 && answered < 300;
        }

        @Override
        public String toString() {
            return "POST answered " + answered + " at " + receivedAt + "\n" + headers + "\n"
                    + new String(body, StandardCharsets.UTF_8);
        }
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(4);
    private final IntFunction<Answer> policy;
    private final AtomicInteger count = new AtomicInteger();
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    /** What the endpoint answers to one request: a status, with headers, after a delay. */
    record Answer(int status, Map<String, String> headers, Duration delay) {
        Answer(int status, Map<String, String> headers) {
            this(status, headers, Duration.ZERO);
        }

        static Answer of(int status) {
            return new Answer(status, Map.of());
        }

        /** {@code status}, but only once {@code delay} has passed. */
        static Answer after(Duration delay, int status) {
            return new Answer(status, Map.of(), delay);
        }
    }

    private WebhookReceiver(IntFunction<Answer> policy) throws IOException {
        this.policy = policy;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(threads);
        server.start();
    }

    /** An endpoint that answers every request with {@code status}. */
    static WebhookReceiver answering(int status) throws IOException {
        return answering(Answer.of(status));
    }

    /** An endpoint that gives every request the same answer. */
    static WebhookReceiver answering(Answer answer) throws IOException {
        return new WebhookReceiver(request -> answer);
    }

    /** An endpoint that gives the first request {@code answer}, then answers 200. */
    static WebhookReceiver answeringFirst(Answer answer) throws IOException {
        return new WebhookReceiver(request -> request == 0 ? answer : Answer.of(200));
    }

    /** An endpoint that answers the first {@code failures} requests with {@code status}, then 200. */
    static WebhookReceiver failingFirst(int failures, int status) throws IOException {
        return new WebhookReceiver(request -> Answer.of(request < failures ? status : 200));
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Answer answer = policy.apply(count.getAndIncrement());
            Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, List.copyOf(values)));
            requests.add(new Request(headers, body, answer.status(), Instant.now()));
            if (!answer.delay().isZero()) {
                try {
                    Thread.sleep(answer.delay().toMillis());
                } catch (InterruptedException closing) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            answer.headers().forEach(exchange.getResponseHeaders()::add);
            exchange.sendResponseHeaders(answer.status(), -1);
        }
    }

    /** Where the server should POST: {@code http://127.0.0.1:<port>/events}. */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/events";
    }

    /** Every request so far, in the order they came. */
    List<Request> requests() {
        return List.copyOf(requests);
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
