package dev.sofy.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sofy.client.BulkOutcome;
import dev.sofy.client.BulkResult;
import dev.sofy.client.BulkSender;
import dev.sofy.client.model.Sms;
import dev.sofy.client.model.SmsCreateRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The client's BulkSender against the server: many SMS over a key with a low limit, each created
 * exactly once. Every exchange, 429s included, is recorded and checked against the spec after the
 * run, so that checking does not slow the sender down.
 */
@ExtendWith(ConformanceExtension.class)
final class BulkSendingTest {
    private static final int COUNT = 2_000;
    /**
     * Well below what 32 requests at once reach even on a slow machine, so that some meet a 429:
     * at 200/s, one CI run went 194/s and met none.
     */
    private static final int LIMIT_PER_SECOND = 100;
    private static final int CONCURRENCY = 32;

    private final ServerUnderTest server;

    BulkSendingTest(ServerUnderTest server) {
        this.server = server;
    }

    private static List<SmsCreateRequest> distinctRequests() {
        return IntStream.range(0, COUNT)
                .mapToObj(i -> new SmsCreateRequest().from("APITEST").to(Seed.RECIPIENT)
                        .body("Bulk message " + i + " of " + COUNT))
                .toList();
    }

    private static boolean isCreation(Exchange exchange) {
        return exchange.method().equals("POST") && exchange.status() == 201
                && exchange.responseHeader("Idempotent-Replayed").isEmpty();
    }

    @Test
    void twoThousandSmsSentInBatchesOverALimitOf100PerSecondAreEachCreatedExactlyOnce(TestReporter reporter)
            throws Exception {
        GeneratedClient client = server.recordingClient(server.sendLimitedKey(LIMIT_PER_SECOND));
        List<SmsCreateRequest> requests = distinctRequests();

        BulkResult result = BulkSender.over(client.apiClient()).concurrency(CONCURRENCY).send(requests);

        reporter.publishEntry("bulk run in batches", result.toString());
        assertTrue(result.allSent(), () -> result + ": " + result.failures());
        List<String> ids = result.sent().stream().map(Sms::getId).toList();
        assertEquals(COUNT, Set.copyOf(ids).size(), "every SMS has its own id");
        List<String> created = new ArrayList<>();
        for (Exchange exchange : client.exchanges()) {
            if (isCreation(exchange)) {
                assertEquals("/v1/sms/batch", exchange.path(), exchange::describe);
                exchange.responseJson().path("data").forEach(sms -> created.add(sms.path("id").asText()));
            }
        }
        // Batches run concurrently, so their answers may be recorded in any order.
        assertEquals(ids.stream().sorted().toList(), created.stream().sorted().toList(),
                "the server created these SMS, each once, and no other");
        for (BulkOutcome outcome : List.of(result.outcomes().get(0), result.outcomes().get(COUNT - 1))) {
            Sms read = client.sms().getSms(outcome.sms().orElseThrow().getId());
            assertEquals(outcome.request().getBody(), read.getBody(), outcome::toString);
        }
        Duration floor = Duration.ofMillis(1_000L * (COUNT - 1_000) / LIMIT_PER_SECOND);
        assertTrue(result.elapsed().compareTo(floor.minusMillis(200)) >= 0,
                "a batch of 1,000 leaves a debt that the next waits out: " + result.elapsed() + " for " + COUNT);
        client.exchanges().forEach(server::assertConforms);
    }

    @Test
    void twoThousandSmsSentInBulkOverALimitOf100PerSecondAreEachCreatedExactlyOnce(TestReporter reporter)
            throws Exception {
        GeneratedClient client = server.recordingClient(server.sendLimitedKey(LIMIT_PER_SECOND));
        List<SmsCreateRequest> requests = distinctRequests();
        var mostInFlight = new AtomicInteger();

        BulkResult result = BulkSender.over(client.apiClient())
                .batchSize(1)
                .concurrency(CONCURRENCY)
                .onProgress(progress -> mostInFlight.accumulateAndGet(progress.inFlight(), Math::max))
                .send(requests);

        reporter.publishEntry("bulk run", result.toString());
        assertTrue(result.allSent(), () -> result + ": " + result.failures());
        List<String> ids = result.sent().stream().map(Sms::getId).toList();
        assertEquals(COUNT, ids.size());
        assertEquals(COUNT, Set.copyOf(ids).size(), "every SMS has its own id");
        Set<String> created = new HashSet<>();
        for (Exchange exchange : client.exchanges()) {
            if (isCreation(exchange)) {
                created.add(exchange.responseJson().path("id").asText());
            }
        }
        assertEquals(Set.copyOf(ids), created, "the server created these SMS and no other");
        assertEquals(COUNT, client.exchanges().stream().filter(BulkSendingTest::isCreation).count(),
                "no SMS was created twice");
        for (BulkOutcome outcome : result.outcomes()) {
            Sms read = client.sms().getSms(outcome.sms().orElseThrow().getId());
            assertEquals(outcome.request().getBody(), read.getBody(), outcome::toString);
        }

        assertTrue(result.rateLimited() > 0, "with " + CONCURRENCY + " requests at once, some met a 429: " + result);
        assertEquals(result.rateLimited(), client.exchanges().stream().filter(exchange -> exchange.status() == 429).count());
        Duration floor = Duration.ofMillis(1_000L * (COUNT - LIMIT_PER_SECOND) / LIMIT_PER_SECOND);
        assertTrue(result.elapsed().compareTo(floor.minusMillis(200)) >= 0,
                "a second's burst, then no faster than the limit: " + result.elapsed() + " for " + COUNT);
        assertTrue(mostInFlight.get() <= CONCURRENCY, "at most " + CONCURRENCY + " in flight: " + mostInFlight);
        client.exchanges().forEach(server::assertConforms);
    }
}
