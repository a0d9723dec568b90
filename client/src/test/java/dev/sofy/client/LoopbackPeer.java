package dev.sofy.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server on 127.0.0.1 standing in for a Sofy server: it records every
 * {@code POST /v1/sms} it receives and answers as its {@link Script} says. Each request has its own
 * thread, so a slow answer holds up no other. {@code POST /v1/sms/batch} is answered by a script of
 * its own, and recorded apart; by default with {@code 405}, as a server without batches does.
 */
final class LoopbackPeer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A request as the peer received it: in which order, when, with which key and body. */
    record Received(int number, long nanoTime, String idempotencyKey, String body, int attemptOfThisKey) {}

    /** What to answer to a received request; may sleep to answer late. */
    interface Script {
        Reply answer(Received request, LoopbackPeer peer) throws Exception;
    }

    /** An answer: status, headers and body. */
    record Reply(int status, Map<String, String> headers, String body) {
        Reply withHeader(String name, String value) {
            var more = new LinkedHashMap<>(headers);
            more.put(name, value);
            return new Reply(status, more, body);
        }
    }

    private final HttpServer server;
    private final ExecutorService handlers = Executors.newCachedThreadPool();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> attemptsByKey = new ConcurrentHashMap<>();
    private final Map<String, String> idsByKey = new ConcurrentHashMap<>();
    private final AtomicInteger requestCount = new AtomicInteger();
    private final AtomicInteger createdCount = new AtomicInteger();

    private final List<Received> receivedBatches = new CopyOnWriteArrayList<>();
    private final AtomicInteger batchCount = new AtomicInteger();

    private LoopbackPeer(Script script, Script batchScript) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(handlers);
        server.createContext("/v1/sms", exchange -> answer(exchange, script, received, requestCount));
        server.createContext("/v1/sms/batch", exchange -> answer(exchange, batchScript, receivedBatches, batchCount));
        server.start();
    }

    /** A peer without batches. */
    static LoopbackPeer start(Script script) {
        return start(script, (request, peer) -> new Reply(405, Map.of("Allow", "GET, HEAD"), ""));
    }

    static LoopbackPeer start(Script script, Script batchScript) {
        try {
            return new LoopbackPeer(script, batchScript);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void answer(HttpExchange exchange, Script script, List<Received> received, AtomicInteger requestCount)
            throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
            int attempt = attemptsByKey.computeIfAbsent(String.valueOf(key), k -> new AtomicInteger()).incrementAndGet();
            var request = new Received(requestCount.incrementAndGet(), System.nanoTime(), key, body, attempt);
            received.add(request);
            Reply reply = script.answer(request, this);
            byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
            reply.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
            exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
            exchange.getResponseBody().write(bytes);
        } catch (IOException clientGone) {
            // A client that timed out has closed the connection: the late answer has nowhere to go.
        } catch (Exception scriptFailure) {
            throw new IllegalStateException(scriptFailure);
        }
    }

    /** 201 with the SMS made of the request's body; the same id for every request with the same key, as a replay would. */
    Reply created(Received request) throws IOException {
        String id = idsByKey.computeIfAbsent(String.valueOf(request.idempotencyKey()),
                key -> String.format("sms%018d", createdCount.incrementAndGet()));
        ObjectNode sms = (ObjectNode) JSON.readTree(request.body());
        sms.put("id", id).put("status", "pending").put("statusReason", "");
        sms.putIfAbsent("shortenUrls", JSON.getNodeFactory().booleanNode(true));
        sms.putIfAbsent("isTransactional", JSON.getNodeFactory().booleanNode(false));
        return new Reply(201, Map.of("Content-Type", "application/json", "Location", "/v1/sms/" + id,
                "x-ratelimit-limit", "100", "x-ratelimit-remaining", "99", "x-ratelimit-reset", "1"),
                JSON.writeValueAsString(sms));
    }

    /**
     * 201 with the SMS of the batch's messages, in order; the same ids for every request with the
     * same key, as a replay would.
     */
    Reply createdBatch(Received request) throws IOException {
        String key = String.valueOf(request.idempotencyKey());
        ObjectNode answer = JSON.createObjectNode();
        var data = answer.putArray("data");
        int place = 0;
        for (var message : JSON.readTree(request.body()).path("messages")) {
            String id = idsByKey.computeIfAbsent(key + "#" + place++,
                    k -> String.format("sms%018d", createdCount.incrementAndGet()));
            ObjectNode sms = ((ObjectNode) message).deepCopy();
            sms.put("id", id).put("status", "pending").put("statusReason", "");
            sms.putIfAbsent("shortenUrls", JSON.getNodeFactory().booleanNode(true));
            sms.putIfAbsent("isTransactional", JSON.getNodeFactory().booleanNode(false));
            data.add(sms);
        }
        return new Reply(201, Map.of("Content-Type", "application/json",
                "x-ratelimit-limit", "100000", "x-ratelimit-remaining", "99999", "x-ratelimit-reset", "1"),
                JSON.writeValueAsString(answer));
    }

    /** The batches received, in order. */
    List<Received> receivedBatches() {
        return List.copyOf(receivedBatches);
    }

    /** How many messages a received batch carried. */
    static int size(Received batch) throws IOException {
        return JSON.readTree(batch.body()).path("messages").size();
    }

    /** A problem+json answer. */
    static Reply problem(int status, String title, String detail) {
        String body = "{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + status
                + ",\"detail\":\"" + detail + "\",\"instance\":\"/v1/sms\"}";
        return new Reply(status, Map.of("Content-Type", "application/problem+json"), body);
    }

    /** The id the peer gave the SMS sent with this key, if it created one. */
    String idFor(String idempotencyKey) {
        return idsByKey.get(idempotencyKey);
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    /** A client of this peer, as {@link Sofy#apiClient} makes it. */
    ApiClient client() {
        return Sofy.apiClient("http://127.0.0.1:" + server.getAddress().getPort(), "test-key", "test-secret");
    }

    @Override
    public void close() {
        server.stop(0);
        handlers.shutdownNow();
    }
}
