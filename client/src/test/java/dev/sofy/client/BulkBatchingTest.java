package dev.sofy.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sofy.client.LoopbackPeer.Received;
import dev.sofy.client.LoopbackPeer.Reply;
import dev.sofy.client.model.SmsCreateRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** BulkSender over {@code POST /v1/sms/batch}, against real HTTP peers on 127.0.0.1. */
final class BulkBatchingTest {
    private static final LoopbackPeer.Script NO_SINGLES = (request, self) ->
            LoopbackPeer.problem(500, "Internal Server Error", "this peer takes batches only");

    private static List<SmsCreateRequest> requests(int count) {
        return IntStream.range(0, count)
                .mapToObj(i -> new SmsCreateRequest().from("APITEST").to("590690112233").body("Hello number " + i))
                .toList();
    }

    private static BulkSender quickSender(ApiClient client) {
        return BulkSender.over(client).backoff(Duration.ofMillis(20), Duration.ofMillis(100));
    }

    private static List<Integer> sizes(List<Received> batches) throws Exception {
        List<Integer> sizes = new ArrayList<>();
        for (Received batch : batches) {
            sizes.add(LoopbackPeer.size(batch));
        }
        sizes.sort(null);
        return sizes;
    }

    @Test
    void smsGoInBatchesOfUpTo1000() throws Exception {
        try (var peer = LoopbackPeer.start(NO_SINGLES, (request, self) -> self.createdBatch(request))) {
            BulkResult result = quickSender(peer.client()).send(requests(2_500));

            assertTrue(result.allSent(), result::toString);
            assertEquals(List.of(500, 1_000, 1_000), sizes(peer.receivedBatches()));
        }
    }

    @Test
    void eachSmsGetsItsOwnAnswerInTheOrderOfTheRequests() throws Exception {
        try (var peer = LoopbackPeer.start(NO_SINGLES, (request, self) -> self.createdBatch(request))) {
            List<SmsCreateRequest> requests = requests(30);

            BulkResult result = quickSender(peer.client()).batchSize(7).send(requests);

            for (BulkOutcome outcome : result.outcomes()) {
                assertEquals(outcome.request().getBody(), outcome.sms().orElseThrow().getBody(), outcome::toString);
            }
        }
    }

    @Test
    void aServerWithoutBatchesGetsOneRequestAnSms() throws Exception {
        try (var peer = LoopbackPeer.start((request, self) -> self.created(request))) {
            BulkResult result = quickSender(peer.client()).batchSize(10).send(requests(25));

            assertTrue(result.allSent(), result::toString);
            assertEquals(25, peer.received().size());
        }
    }

    @Test
    void aServerWithoutBatchesIsNotAskedAgainBySendersMadeFromTheSameOne() throws Exception {
        try (var peer = LoopbackPeer.start((request, self) -> self.created(request))) {
            BulkSender sender = quickSender(peer.client()).batchSize(10);
            sender.send(requests(25));
            int asked = peer.receivedBatches().size();

            sender.concurrency(2).send(requests(25));

            assertEquals(asked, peer.receivedBatches().size());
        }
    }

    @Test
    void aBatchRefusedForSomeOfItsSmsIsSentAgainWithoutThemUnderANewKey() throws Exception {
        Reply refusesTheSecond = new Reply(400, Map.of("Content-Type", "application/problem+json"),
                "{\"type\":\"about:blank\",\"title\":\"Bad Request\",\"status\":400,"
                        + "\"errors\":[{\"field\":\"messages[1].to\",\"message\":\"must be a valid number\"}]}");
        try (var peer = LoopbackPeer.start(NO_SINGLES,
                (request, self) -> request.number() == 1 ? refusesTheSecond : self.createdBatch(request))) {

            BulkResult result = quickSender(peer.client()).send(requests(3));

            assertEquals(List.of(true, false, true), result.outcomes().stream().map(BulkOutcome::isSent).toList());
            assertEquals("messages[1].to", result.outcomes().get(1).failure().orElseThrow().problem().orElseThrow()
                    .getErrors().get(0).getField());
            List<Received> batches = peer.receivedBatches();
            assertEquals(List.of(2, 3), sizes(batches));
            assertTrue(!batches.get(0).idempotencyKey().equals(batches.get(1).idempotencyKey()),
                    "nothing of the refused batch was stored: the rest is a new request");
        }
    }

    @Test
    void aBatchMetWithA429IsSentAgainWithTheSameKeyAfterRetryAfter() throws Exception {
        Reply tooMany = LoopbackPeer.problem(429, "Too Many Requests", "over the limit").withHeader("Retry-After", "1");
        try (var peer = LoopbackPeer.start(NO_SINGLES,
                (request, self) -> request.number() == 1 ? tooMany : self.createdBatch(request))) {

            BulkResult result = quickSender(peer.client()).send(requests(3));

            assertTrue(result.allSent(), result::toString);
            List<Received> batches = peer.receivedBatches();
            assertEquals(batches.get(0).idempotencyKey(), batches.get(1).idempotencyKey());
            assertTrue(Duration.ofNanos(batches.get(1).nanoTime() - batches.get(0).nanoTime())
                    .compareTo(Duration.ofMillis(450)) >= 0, "waited for Retry-After, spread over half to all of it");
        }
    }

    @Test
    void aBatchWhoseAnswerWasLostIsRetriedWithTheSameKeyAndTheSmsAreSentOnce() throws Exception {
        try (var peer = LoopbackPeer.start(NO_SINGLES, (request, self) -> {
            if (request.attemptOfThisKey() == 1) {
                Thread.sleep(1_000);
            }
            return self.createdBatch(request);
        })) {
            ApiClient client = peer.client();
            client.setReadTimeout(Duration.ofMillis(300));

            BulkResult result = quickSender(client).send(requests(4));

            assertTrue(result.allSent(), result::toString);
            List<Received> batches = peer.receivedBatches();
            assertTrue(batches.size() >= 2, "the first attempt timed out, so there was a retry");
            assertTrue(batches.stream().allMatch(batch -> batch.idempotencyKey().equals(batches.get(0).idempotencyKey())));
            assertEquals(4, result.sent().stream().map(sms -> sms.getId()).distinct().count());
        }
    }
}
