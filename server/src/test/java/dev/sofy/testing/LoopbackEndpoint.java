package dev.sofy.testing;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** An HTTP endpoint on 127.0.0.1, for webhooks to reach: each POST to {@code /events} gets the status its answerer gives. */
public final class LoopbackEndpoint implements AutoCloseable {

    /** The status for one request, from its headers and body; it answers with no body. */
    @FunctionalInterface
    public interface Answerer {
        int answer(Headers headers, byte[] body) throws IOException;
    }

    private final HttpServer server;
    private final ExecutorService executor;

    private LoopbackEndpoint(Answerer answerer, ExecutorService executor) throws IOException {
        this.executor = executor;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/events", exchange -> {
            try (exchange; InputStream body = exchange.getRequestBody()) {
                exchange.sendResponseHeaders(answerer.answer(exchange.getRequestHeaders(), body.readAllBytes()), -1);
            }
        });
    }

    public static LoopbackEndpoint start(Answerer answerer) throws IOException {
        return started(new LoopbackEndpoint(answerer, Executors.newFixedThreadPool(4)));
    }

    /**
     * An endpoint that answers each request on a thread of its own as it arrives: an answerer
     * that holds requests then holds none queued behind them, which it has not seen yet.
     */
    public static LoopbackEndpoint startAnsweringEachAtOnce(Answerer answerer) throws IOException {
        return started(new LoopbackEndpoint(answerer, Executors.newCachedThreadPool()));
    }

    private static LoopbackEndpoint started(LoopbackEndpoint endpoint) {
        endpoint.server.start();
        return endpoint;
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/events";
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
