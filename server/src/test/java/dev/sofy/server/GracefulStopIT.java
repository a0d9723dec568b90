package dev.sofy.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sofy.testing.KeyPair;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What an operator's SIGTERM does under load: requests in flight are answered, what was
 * acknowledged is kept, and the stop is quiet. One stop, checked by each test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
final class GracefulStopIT {
    private static final KeyPair KEY = new KeyPair("graceful-key", "graceful-secret-0123456789-abcde");
    private static final int SENDERS = 16;
    private static final int STOP_AFTER_ACKNOWLEDGED = 1_000;

    private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    private final List<String> unexpected = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger turnedAway = new AtomicInteger();
    private String stderr;
    private List<String> missingAfterRestart;

    @BeforeAll
    void sendThenStopWithSigtermThenRestart() throws Exception {
        Path directory = Files.createTempDirectory("sofy-graceful");
        Map<String, String> environment = ServerProcess.environment(directory, KEY,
                "SOFY_DEFAULT_SEND_RATE", "1000000",
                "SOFY_DEFAULT_READ_RATE", "1000000");
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        var stopPoint = new CountDownLatch(STOP_AFTER_ACKNOWLEDGED);
        List<Thread> senders = new ArrayList<>();
        try (ServerProcess server = ServerProcess.start(environment, directory.resolve("first.err"))) {
            for (int i = 0; i < SENDERS; i++) {
                Thread sender = new Thread(() -> sendUntilRefused(client, server.baseUri(), stopPoint), "sender-" + i);
                senders.add(sender);
                sender.start();
            }
            assertTrue(stopPoint.await(60, TimeUnit.SECONDS), "1,000 SMS acknowledged within 60 s: " + unexpected);
            server.stop();
            stderr = server.stderr();
        }
        for (Thread sender : senders) {
            sender.join(TimeUnit.SECONDS.toMillis(30));
        }
        System.out.printf("Graceful stop: %d SMS acknowledged, %d requests turned away with 503, %d unexpected answers%n",
                acknowledged.size(), turnedAway.get(), unexpected.size());
        missingAfterRestart = new ArrayList<>();
        try (ServerProcess restarted = ServerProcess.start(environment, directory.resolve("restarted.err"))) {
            for (String id : acknowledged) {
                HttpResponse<String> response = client.send(ApiRequests.getSms(restarted.baseUri(), KEY, id),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    missingAfterRestart.add(id + " -> " + response.statusCode());
                }
            }
        }
    }

    /** Sends back to back until the server refuses the connection. */
    private void sendUntilRefused(HttpClient client, URI baseUri, CountDownLatch stopPoint) {
        var request = ApiRequests.createSms(baseUri, KEY, ApiRequests.VALID_SMS_JSON);
        while (true) {
            try {
                HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 201) {
                    acknowledged.add(ApiRequests.createdId(response));
                    stopPoint.countDown();
                } else if (response.statusCode() == 503 && isProblem(response)) {
                    // What a stopping server answers to a request it will not take.
                    turnedAway.incrementAndGet();
                } else {
                    unexpected.add(response.statusCode() + " " + response.headers().firstValue("Content-Type")
                            + " " + response.body());
                }
            } catch (IOException refusedOrClosed) {
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static boolean isProblem(HttpResponse<String> response) {
        return response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json");
    }

    @Test
    void everyRequestInFlightIsAnsweredWithItsSmsOrTurnedAwayWith503() {
        assertEquals(List.of(), unexpected);
    }

    @Test
    void everySmsAcknowledgedBeforeTheStopIsThereAfterARestart() {
        assertEquals(List.of(), missingAfterRestart, "of " + acknowledged.size() + " acknowledged");
    }

    @Test
    void theStopLogsNoErrorAndNoStackTrace() {
        List<String> noisy = stderr.lines()
                .filter(line -> line.contains(" ERROR ") || line.contains(" WARN ") || line.startsWith("\tat "))
                .limit(20)
                .toList();
        assertEquals(List.of(), noisy);
    }
}
