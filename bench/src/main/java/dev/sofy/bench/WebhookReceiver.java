package dev.sofy.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A webhook endpoint on loopback for the benchmark: answers 204 to every event and prints how
 * many it got, every second. Arguments: port.
 */
public final class WebhookReceiver {
    private WebhookReceiver() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        var received = new AtomicLong();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])), 256);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            received.incrementAndGet();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.start();
        System.out.println("Webhook receiver listening on http://127.0.0.1:" + server.getAddress().getPort());
        while (true) {
            Thread.sleep(1_000);
            System.out.println("received " + received.get());
        }
    }
}
