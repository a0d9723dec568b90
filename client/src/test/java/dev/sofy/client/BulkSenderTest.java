package dev.sofy.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sofy.client.LoopbackPeer.Received;
import dev.sofy.client.LoopbackPeer.Reply;
import dev.sofy.client.model.Sms;
import dev.sofy.client.model.SmsCreateRequest;
import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** BulkSender against real HTTP peers on 127.0.0.1 that answer as each test needs. */
final class BulkSenderTest {
    private static final Duration ABOUT_ONE_SECOND = Duration.ofMillis(950);

    private static List<SmsCreateRequest> requests(int count) {
        return IntStream.range(0, count)
                .mapToObj(i -> new SmsCreateRequest().from("APITEST").to("590690112233").body("Hello number " + i))
                .toList();
    }

    /** A sender with short backoffs, so that retries do not slow the tests down. */
    private static BulkSender quickSender(ApiClient client) {
        return BulkSender.over(client).backoff(Duration.ofMillis(20), Duration.ofMillis(100));
    }

    private static List<Received> receivedWithBody(LoopbackPeer peer, String body) {
        return peer.received().stream().filter(request -> request.body().equals(body)).toList();
    }

    private static String bodyOf(SmsCreateRequest request) throws IOException {
        return ApiClient.createDefaultObjectMapper().writeValueAsString(request);
    }

    private static Duration between(Received earlier, Received later) {
        return Duration.ofNanos(later.nanoTime() - earlier.nanoTime());
    }

    private static void assertAtLeast(Duration expected, Duration actual, String what) {
        assertTrue(actual.compareTo(expected) >= 0, what + ": expected at least " + expected + ", was " + actual);
    }

    @Test
    void aFirstAttemptThatTimesOutIsRetriedWithTheSameIdempotencyKeyAndTheSmsIsSentOnce() throws Exception {
        try (var peer = LoopbackPeer.start((request, self) -> {
            if (request.attemptOfThisKey() == 1) {
                Thread.sleep(1_000);
            }
            return self.created(request);
        })) {
            ApiClient client = peer.client();
            client.setReadTimeout(Duration.ofMillis(300));
            List<SmsCreateRequest> requests = requests(4);

            BulkResult result = quickSender(client).concurrency(4).send(requests);

            assertTrue(result.allSent(), result::toString);
            Set<String> keys = new HashSet<>();
            for (BulkOutcome outcome : result.outcomes()) {
                List<Received> attempts = receivedWithBody(peer, bodyOf(outcome.request()));
                assertTrue(attempts.size() >= 2, "the first attempt timed out, so there was a retry: " + attempts);
                assertTrue(attempts.stream().allMatch(attempt -> outcome.idempotencyKey().equals(attempt.idempotencyKey())),
                        "every attempt carries the SMS's key: " + attempts);
                assertEquals(peer.idFor(outcome.idempotencyKey()), outcome.sms().map(Sms::getId).orElseThrow());
                keys.add(outcome.idempotencyKey());
            }
            assertEquals(4, keys.size(), "each SMS has its own key");
            assertTrue(result.retried() >= 4, result::toString);
        }
    }

    @Test
    void aTooManyRequestsAnswerIsRetriedAfterItsRetryAfter() throws Exception {
        try (var peer = LoopbackPeer.start((request, self) -> request.attemptOfThisKey() == 1
                ? LoopbackPeer.problem(429, "Too Many Requests", "Over the limit of 1 request per second.")
                        .withHeader("Retry-After", "1").withHeader("x-ratelimit-remaining", "0")
                : self.created(request))) {
            long start = System.nanoTime();

            BulkResult result = quickSender(peer.client()).send(requests(1));

            assertAtLeast(ABOUT_ONE_SECOND, Duration.ofNanos(System.nanoTime() - start), "the run");
            assertTrue(result.allSent(), result::toString);
            List<Received> received = peer.received();
            assertEquals(2, received.size());
            assertAtLeast(ABOUT_ONE_SECOND, between(received.get(0), received.get(1)), "the wait before the retry");
            assertEquals(received.get(0).idempotencyKey(), received.get(1).idempotencyKey());
            assertEquals(1, result.rateLimited());
            assertEquals(2, result.outcomes().get(0).attempts());
        }
    }

    @Test
    void aRefusalIsNotRetriedAndIsReportedWithItsProblem() throws Exception {
        String detail = "The request has 1 invalid field.";
        try (var peer = LoopbackPeer.start((request, self) -> request.body().contains("\"to\":\"1234\"")
                ? LoopbackPeer.problem(400, "Bad Request", detail)
                : self.created(request))) {
            SmsCreateRequest valid = requests(1).get(0);
            SmsCreateRequest invalid = new SmsCreateRequest().from("APITEST").to("1234").body("Hello");

            BulkResult result = quickSender(peer.client()).send(List.of(valid, invalid));

            assertTrue(result.outcomes().get(0).isSent());
            BulkFailure failure = result.outcomes().get(1).failure().orElseThrow();
            assertEquals(BulkFailure.Kind.REFUSED, failure.kind());
            assertEquals(400, failure.status());
            assertEquals(LoopbackPeer.problem(400, "Bad Request", detail).body(), failure.problemBody().orElseThrow());
            assertEquals(detail, failure.problem().orElseThrow().getDetail());
            assertEquals(1, receivedWithBody(peer, bodyOf(invalid)).size(), "a refusal is not retried");
            assertEquals(List.of(result.outcomes().get(1)), result.failures());
            assertEquals(0, result.retried());
        }
    }

    @Test
    void aSpentQuotaMakesTheNextRequestWaitItsResetSeconds() throws Exception {
        try (var peer = LoopbackPeer.start((request, self) -> request.number() == 1
                ? self.created(request).withHeader("x-ratelimit-remaining", "0").withHeader("x-ratelimit-reset", "1")
                : self.created(request))) {

            BulkResult result = quickSender(peer.client()).concurrency(1).send(requests(3));

            assertTrue(result.allSent(), result::toString);
            List<Received> received = peer.received();
            assertAtLeast(ABOUT_ONE_SECOND, between(received.get(0), received.get(1)), "the pause after remaining 0");
            assertTrue(between(received.get(1), received.get(2)).compareTo(Duration.ofMillis(500)) < 0,
                    "with quota left, the next request does not wait");
            assertEquals(0, result.retried(), "nothing was refused, so nothing was retried");
        }
    }

    @Test
    void aSpentQuotaPausesEveryWorkerNotOnlyTheOneThatSawIt() throws Exception {
        // The first request is told the quota is spent at once; the others are answered 300 ms
        // later with quota left, so their workers learn of the pause only from the shared gate.
        try (var peer = LoopbackPeer.start((request, self) -> {
            if (request.number() == 1) {
                return self.created(request).withHeader("x-ratelimit-remaining", "0").withHeader("x-ratelimit-reset", "1");
            }
            Thread.sleep(300);
            return self.created(request);
        })) {

            BulkResult result = quickSender(peer.client()).concurrency(4).send(requests(8));

            assertTrue(result.allSent(), result::toString);
            List<Received> received = peer.received();
            Received first = received.stream().filter(request -> request.number() == 1).findFirst().orElseThrow();
            List<Received> afterTheFirstWave = received.stream()
                    .sorted((a, b) -> Long.compare(a.nanoTime(), b.nanoTime())).skip(4).toList();
            for (Received later : afterTheFirstWave) {
                assertAtLeast(ABOUT_ONE_SECOND, between(first, later), "request " + later.number());
            }
        }
    }

    @Test
    void serverErrorsAndInFlightAnswersAreRetriedWithTheSameKey() throws Exception {
        try (var peer = LoopbackPeer.start((request, self) -> switch (request.attemptOfThisKey()) {
            case 1 -> LoopbackPeer.problem(503, "Service Unavailable", "Try again.");
            case 2 -> LoopbackPeer.problem(409, "Conflict", "A request with this Idempotency-Key is in flight.");
            default -> self.created(request);
        })) {

            BulkResult result = quickSender(peer.client()).send(requests(1));

            assertTrue(result.allSent(), result::toString);
            assertEquals(3, result.outcomes().get(0).attempts());
            assertEquals(1, peer.received().stream().map(Received::idempotencyKey).distinct().count());
            assertEquals(2, result.retried());
            assertEquals(0, result.rateLimited());
        }
    }

    @Test
    void anSmsThatKeepsFailingIsGivenUpAfterMaxAttempts() throws Exception {
        try (var peer = LoopbackPeer.start((request, self) ->
                LoopbackPeer.problem(500, "Internal Server Error", "Something broke."))) {

            BulkResult result = quickSender(peer.client()).maxAttempts(3).send(requests(1));

            BulkOutcome outcome = result.outcomes().get(0);
            BulkFailure failure = outcome.failure().orElseThrow();
            assertEquals(BulkFailure.Kind.GAVE_UP, failure.kind());
            assertEquals(500, failure.status());
            assertEquals("Something broke.", failure.problem().orElseThrow().getDetail());
            assertEquals(3, outcome.attempts());
            assertEquals(3, peer.received().size());
            assertEquals(1, peer.received().stream().map(Received::idempotencyKey).distinct().count());
        }
    }

    @Test
    void anUnreachableServerIsGivenUpWithTheConnectionFailure() throws Exception {
        var peer = LoopbackPeer.start((request, self) -> self.created(request));
        ApiClient client = peer.client();
        peer.close();

        BulkResult result = quickSender(client).maxAttempts(2).send(requests(1));

        BulkFailure failure = result.outcomes().get(0).failure().orElseThrow();
        assertEquals(BulkFailure.Kind.GAVE_UP, failure.kind());
        assertEquals(0, failure.status());
        assertInstanceOf(IOException.class, failure.cause().orElseThrow());
        assertEquals(2, result.outcomes().get(0).attempts());
    }

    @Test
    void anSmsIsGivenUpWhenItsNextAttemptCouldNotStartInTime() throws Exception {
        try (var peer = LoopbackPeer.start((request, self) ->
                LoopbackPeer.problem(429, "Too Many Requests", "Over the limit.").withHeader("Retry-After", "5"))) {
            long start = System.nanoTime();

            BulkResult result = quickSender(peer.client()).giveUpAfter(Duration.ofSeconds(1)).send(requests(1));

            assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(1)) < 0,
                    "a wait beyond the deadline is not waited");
            BulkFailure failure = result.outcomes().get(0).failure().orElseThrow();
            assertEquals(BulkFailure.Kind.GAVE_UP, failure.kind());
            assertEquals(429, failure.status());
            assertEquals(1, peer.received().size());
        }
    }

    @Test
    void interruptingTheCallerEndsTheRunWithoutWaitingForTheAnswers() throws Exception {
        var bothInFlight = new CountDownLatch(2);
        try (var peer = LoopbackPeer.start((request, self) -> {
            bothInFlight.countDown();
            Thread.sleep(10_000);
            return self.created(request);
        })) {
            var outcome = new CompletableFuture<Throwable>();
            var caller = new Thread(() -> {
                try {
                    quickSender(peer.client()).concurrency(2).send(requests(4));
                    outcome.complete(null);
                } catch (Throwable failure) {
                    outcome.complete(failure);
                }
            });
            caller.start();
            assertTrue(bothInFlight.await(5, TimeUnit.SECONDS));

            caller.interrupt();

            assertInstanceOf(InterruptedException.class, outcome.get(2, TimeUnit.SECONDS));
        }
    }

    @Test
    void theOutcomesFollowTheOrderOfTheRequestsAndTheProgressEndsComplete() throws Exception {
        try (var peer = LoopbackPeer.start((request, self) -> self.created(request))) {
            List<BulkProgress> seen = new CopyOnWriteArrayList<>();
            List<SmsCreateRequest> requests = requests(40);

            BulkResult result = quickSender(peer.client()).concurrency(4).onProgress(seen::add).send(requests);

            for (int i = 0; i < requests.size(); i++) {
                BulkOutcome outcome = result.outcomes().get(i);
                assertEquals(i, outcome.index());
                assertEquals(requests.get(i).getBody(), outcome.sms().orElseThrow().getBody());
            }
            BulkProgress last = seen.get(seen.size() - 1);
            assertEquals(new BulkProgress(40, 40, 0, 0, 0, 0), last);
            assertTrue(last.isComplete());
            assertTrue(seen.stream().allMatch(progress -> progress.inFlight() <= 4), "never more than 4 in flight");
            for (int i = 1; i < seen.size(); i++) {
                assertTrue(seen.get(i).sent() >= seen.get(i - 1).sent(), "the counts only grow");
            }
        }
    }
}
