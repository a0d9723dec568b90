package dev.sofy.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sofy.client.api.SmsApi;
import dev.sofy.client.model.FieldError;
import dev.sofy.client.model.Problem;
import dev.sofy.client.model.Sms;
import dev.sofy.client.model.SmsBatch;
import dev.sofy.client.model.SmsBatchRequest;
import dev.sofy.client.model.SmsCreateRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@link BulkSender#send}: worker threads take the next SMS, or the next batch of them, in turn
 * and see it through to its outcome, retry after retry, before taking another. When the server
 * offers no batches, the SMS of a batch go back to the workers one by one.
 */
final class BulkRun {
    private static final Duration ONE_SECOND = Duration.ofSeconds(1);
    private static final AtomicInteger RUNS = new AtomicInteger();

    /**
     * What one request came back with: an SMS (or those of a batch), a refusal with its status and
     * body, or no answer at all.
     */
    private record Answer(int status, Sms sms, List<Sms> batch, String body, RateLimitHeaders quota, Throwable cause) {
        boolean tooManyRequests() {
            return status == 429;
        }

        /** Failures that a later attempt with the same key may turn into the SMS. */
        boolean worthRetrying() {
            return status == 0 // no answer: a timeout or a connection failure
                    || status == 409 // the same key is still in flight
                    || status >= 500
                    || status / 100 == 2; // a success without its SMS: a replay will carry it
        }

        String describe() {
            if (status == 0) {
                return String.valueOf(cause);
            }
            return status / 100 == 2 ? "a " + status + " answer without the SMS" : "HTTP " + status;
        }

        /** The server has no batches: an older one, or one that turned them off. */
        boolean noBatches() {
            return status == 404 || status == 405;
        }
    }

    /** What a request makes of the server's answer. */
    @FunctionalInterface
    private interface Call {
        ApiResponse<?> call() throws ApiException;
    }

    /** Its index in a batch's problem, as {@code messages[3].to} names it. */
    private static final Pattern MESSAGE_FIELD = Pattern.compile("^messages\\[(\\d+)]");

    private final SmsApi sms;
    private final ObjectMapper problemReader;
    private final List<SmsCreateRequest> requests;
    private final List<String> idempotencyKeys;
    private final int concurrency;
    private final int maxAttempts;
    private final long giveUpAfterNanos;
    private final Backoff backoff;
    private final BulkProgressCounter progress;
    private final RateLimitGate gate = new RateLimitGate();
    private final AtomicInteger nextIndex = new AtomicInteger();
    private final AtomicReferenceArray<BulkOutcome> outcomes;
    private final int batchSize;
    /** Set, for the sender's later runs too, once the server answered a batch with 404 or 405. */
    private final AtomicBoolean noBatches;
    /** SMS of batches the server did not take as batches, to be sent one by one. */
    private final BlockingQueue<Integer> singles = new LinkedBlockingQueue<>();
    /** Batches taken and not yet seen through: their SMS may still come back as singles. */
    private final AtomicInteger batchesInFlight = new AtomicInteger();

    BulkRun(ApiClient apiClient, List<SmsCreateRequest> requests, int concurrency, int maxAttempts,
            Duration giveUpAfter, Backoff backoff, Consumer<BulkProgress> onProgress, int batchSize,
            AtomicBoolean noBatches) {
        this.batchSize = batchSize;
        this.noBatches = noBatches;
        this.sms = new SmsApi(apiClient);
        this.problemReader = apiClient.getObjectMapper();
        this.requests = requests;
        // Chosen once, before any attempt: every retry of an SMS carries its key.
        this.idempotencyKeys = requests.stream().map(request -> UUID.randomUUID().toString()).toList();
        this.concurrency = concurrency;
        this.maxAttempts = maxAttempts;
        this.giveUpAfterNanos = giveUpAfter.toNanos();
        this.backoff = backoff;
        this.progress = new BulkProgressCounter(requests.size(), onProgress);
        this.outcomes = new AtomicReferenceArray<>(requests.size());
    }

    BulkResult run() throws InterruptedException {
        long start = System.nanoTime();
        int workerCount = Math.min(concurrency, requests.size());
        if (workerCount > 0) {
            runWorkers(workerCount);
        }
        var inOrder = new ArrayList<BulkOutcome>(requests.size());
        for (int index = 0; index < requests.size(); index++) {
            inOrder.add(outcomes.get(index));
        }
        return new BulkResult(inOrder, progress.snapshot(), Duration.ofNanos(System.nanoTime() - start));
    }

    private void runWorkers(int workerCount) throws InterruptedException {
        ExecutorService workers = Executors.newFixedThreadPool(workerCount, workerThreads());
        try {
            CompletionService<Void> finished = new ExecutorCompletionService<>(workers);
            for (int i = 0; i < workerCount; i++) {
                finished.submit(this::work);
            }
            for (int i = 0; i < workerCount; i++) {
                try {
                    finished.take().get();
                } catch (ExecutionException workerFailure) {
                    throw asUnchecked(workerFailure.getCause());
                }
            }
        } finally {
            // Stops the other workers when this thread was interrupted or one of them failed.
            workers.shutdownNow();
        }
    }

    private static ThreadFactory workerThreads() {
        int run = RUNS.incrementAndGet();
        var workers = new AtomicInteger();
        return task -> {
            var thread = new Thread(task, "sofy-bulk-" + run + "-worker-" + workers.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    private static RuntimeException asUnchecked(Throwable failure) {
        if (failure instanceof RuntimeException unchecked) {
            throw unchecked;
        }
        if (failure instanceof Error error) {
            throw error;
        }
        return new IllegalStateException("a bulk-sender worker failed", failure);
    }

    private Void work() throws InterruptedException {
        while (true) {
            Integer single = singles.poll();
            if (single != null) {
                outcomes.set(single, deliver(single));
                continue;
            }
            boolean batches = batchSize > 1 && !noBatches.get();
            // Counted before it is taken, so that no worker leaves while a batch may hand SMS back.
            batchesInFlight.incrementAndGet();
            try {
                int from = nextIndex.getAndAdd(batches ? batchSize : 1);
                if (from < requests.size() && batches) {
                    List<Integer> batch = new ArrayList<>();
                    for (int index = from; index < Math.min(requests.size(), from + batchSize); index++) {
                        batch.add(index);
                    }
                    deliverBatch(batch);
                    continue;
                }
                if (from < requests.size()) {
                    outcomes.set(from, deliver(from));
                    continue;
                }
            } finally {
                batchesInFlight.decrementAndGet();
            }
            // Nothing left to take: done, unless a batch in flight may still hand its SMS back.
            if (batchesInFlight.get() == 0 && singles.isEmpty()) {
                return null;
            }
            single = singles.poll(20, TimeUnit.MILLISECONDS);
            if (single != null) {
                outcomes.set(single, deliver(single));
            }
        }
    }

    /**
     * Tries a batch until its SMS are sent, refused, or given up, all under one key. A batch
     * refused for some of its SMS is sent again without them, under a new key, since nothing of it
     * was stored. A server without batches gets its SMS one by one.
     */
    private void deliverBatch(List<Integer> batch) throws InterruptedException {
        List<Integer> pending = batch;
        String idempotencyKey = UUID.randomUUID().toString();
        int requestsMade = 0;
        int countedAttempts = 0;
        long giveUpAt = 0;
        while (!pending.isEmpty()) {
            gate.awaitOpen();
            if (requestsMade == 0) {
                giveUpAt = System.nanoTime() + giveUpAfterNanos;
            }
            requestsMade++;
            progress.requestStarted();
            List<SmsCreateRequest> messages = pending.stream().map(requests::get).toList();
            String key = idempotencyKey;
            Answer answer = attempt(() -> sms.createSmsBatchWithHttpInfo(new SmsBatchRequest().messages(messages), key));
            if (answer.quota().quotaSpent()) {
                gate.closeFor(answer.quota().reset().orElse(ONE_SECOND));
            }
            if (answer.batch() != null && answer.batch().size() == pending.size()) {
                for (int i = 0; i < pending.size(); i++) {
                    int index = pending.get(i);
                    outcomes.set(index, BulkOutcome.sent(index, requests.get(index), idempotencyKey, requestsMade,
                            answer.batch().get(i)));
                }
                progress.answered(pending.size(), 0);
                return;
            }
            if (answer.noBatches()) {
                noBatches.set(true);
                progress.answered(0, 0);
                singles.addAll(pending);
                return;
            }

            Duration wait;
            if (answer.tooManyRequests()) {
                wait = closeGateFor(answer);
            } else if (answer.worthRetrying()) {
                countedAttempts++;
                if (countedAttempts >= maxAttempts) {
                    giveUpAll(pending, idempotencyKey, requestsMade, answer,
                            "gave up after " + countedAttempts + " failed attempts, the last with " + answer.describe());
                    return;
                }
                wait = retryWait(answer, countedAttempts);
            } else {
                Set<Integer> refused = answer.status() == 400 ? refusedPlaces(answer.body(), pending.size()) : Set.of();
                List<Integer> rest = new ArrayList<>();
                int failedCount = 0;
                for (int i = 0; i < pending.size(); i++) {
                    int index = pending.get(i);
                    if (refused.isEmpty() || refused.contains(i)) {
                        outcomes.set(index, BulkOutcome.failed(index, requests.get(index), idempotencyKey, requestsMade,
                                failure(BulkFailure.Kind.REFUSED, answer, "refused with " + answer.describe())));
                        failedCount++;
                    } else {
                        rest.add(index);
                    }
                }
                progress.answered(0, failedCount);
                // The others were refused only with them: they go again, as a new request.
                pending = rest;
                idempotencyKey = UUID.randomUUID().toString();
                countedAttempts = 0;
                continue;
            }

            long resumeIn = Math.max(wait.toNanos(), gate.nanosUntilOpen());
            if (System.nanoTime() + resumeIn - giveUpAt > 0) {
                giveUpAll(pending, idempotencyKey, requestsMade, answer, "gave up: the next attempt, after "
                        + answer.describe() + ", could not start within " + Duration.ofNanos(giveUpAfterNanos)
                        + " of the first");
                return;
            }
            progress.retrying(answer.tooManyRequests());
            TimeUnit.NANOSECONDS.sleep(wait.toNanos());
        }
    }

    /** The places in the batch of the messages a 400 names ({@code messages[3].to}); empty if it names none. */
    private Set<Integer> refusedPlaces(String body, int size) {
        Problem problem = problemIn(body);
        if (problem == null || problem.getErrors() == null) {
            return Set.of();
        }
        Set<Integer> places = new HashSet<>();
        for (FieldError error : problem.getErrors()) {
            Matcher place = MESSAGE_FIELD.matcher(String.valueOf(error.getField()));
            if (!place.find()) {
                return Set.of(); // a fault of the whole batch: every SMS shares it
            }
            int index = Integer.parseInt(place.group(1));
            if (index < size) {
                places.add(index);
            }
        }
        return places;
    }

    private void giveUpAll(List<Integer> pending, String idempotencyKey, int requestsMade, Answer last, String message) {
        for (int index : pending) {
            outcomes.set(index, BulkOutcome.failed(index, requests.get(index), idempotencyKey, requestsMade,
                    failure(BulkFailure.Kind.GAVE_UP, last, message)));
        }
        progress.answered(0, pending.size());
    }

    /** Tries one SMS until it is sent, refused, or given up. */
    private BulkOutcome deliver(int index) throws InterruptedException {
        SmsCreateRequest request = requests.get(index);
        String idempotencyKey = idempotencyKeys.get(index);
        int requestsMade = 0;
        int countedAttempts = 0;
        long giveUpAt = 0;
        while (true) {
            gate.awaitOpen();
            if (requestsMade == 0) {
                giveUpAt = System.nanoTime() + giveUpAfterNanos;
            }
            requestsMade++;
            progress.requestStarted();
            Answer answer = attempt(() -> sms.createSmsWithHttpInfo(request, idempotencyKey));
            if (answer.quota().quotaSpent()) {
                gate.closeFor(answer.quota().reset().orElse(ONE_SECOND));
            }
            if (answer.sms() != null) {
                progress.sent();
                return BulkOutcome.sent(index, request, idempotencyKey, requestsMade, answer.sms());
            }

            Duration wait;
            if (answer.tooManyRequests()) {
                wait = closeGateFor(answer);
            } else if (answer.worthRetrying()) {
                countedAttempts++;
                if (countedAttempts >= maxAttempts) {
                    return giveUp(index, requestsMade, answer,
                            "gave up after " + countedAttempts + " failed attempts, the last with " + answer.describe());
                }
                wait = retryWait(answer, countedAttempts);
            } else {
                progress.failed();
                return BulkOutcome.failed(index, request, idempotencyKey, requestsMade,
                        failure(BulkFailure.Kind.REFUSED, answer, "refused with " + answer.describe()));
            }

            long resumeIn = Math.max(wait.toNanos(), gate.nanosUntilOpen());
            if (System.nanoTime() + resumeIn - giveUpAt > 0) {
                return giveUp(index, requestsMade, answer, "gave up: the next attempt, after " + answer.describe()
                        + ", could not start within " + Duration.ofNanos(giveUpAfterNanos) + " of the first");
            }
            progress.retrying(answer.tooManyRequests());
            TimeUnit.NANOSECONDS.sleep(wait.toNanos());
        }
    }

    private Answer attempt(Call request) throws InterruptedException {
        try {
            ApiResponse<?> created = request.call();
            Object data = created.getData();
            return new Answer(created.getStatusCode(), data instanceof Sms one ? one : null,
                    data instanceof SmsBatch batch && batch.getData() != null ? batch.getData() : null, null,
                    RateLimitHeaders.of(created.getHeaders()), null);
        } catch (ApiException failure) {
            if (failure.getCode() != 0) {
                return new Answer(failure.getCode(), null, null, failure.getResponseBody(),
                        RateLimitHeaders.of(failure.getResponseHeaders()), null);
            }
            // The generated client wraps I/O failures and interruptions alike, with no status, and
            // sets the interrupt flag again after an interruption.
            boolean interrupted = Thread.interrupted();
            if (interrupted || failure.getCause() instanceof InterruptedException) {
                throw new InterruptedException("interrupted while sending an SMS");
            }
            return new Answer(0, null, null, null, RateLimitHeaders.none(),
                    failure.getCause() == null ? failure : failure.getCause());
        }
    }

    private BulkOutcome giveUp(int index, int requestsMade, Answer last, String message) {
        progress.failed();
        return BulkOutcome.failed(index, requests.get(index), idempotencyKeys.get(index), requestsMade,
                failure(BulkFailure.Kind.GAVE_UP, last, message));
    }

    /**
     * A 429: not processed, so not an attempt. The wait is the key's, so every worker takes it;
     * this worker waits it too, spread so that workers do not all come back at once.
     */
    private Duration closeGateFor(Answer answer) {
        Duration retryAfter = answer.quota().retryAfter()
                .or(() -> answer.quota().reset().filter(reset -> !reset.isZero()))
                .orElse(ONE_SECOND);
        gate.closeFor(retryAfter);
        return Backoff.spread(retryAfter);
    }

    /** The backoff after a failed attempt, or the server's Retry-After when it asks for longer. */
    private Duration retryWait(Answer answer, int attempts) {
        Duration backoffWait = backoff.after(attempts);
        Duration retryAfter = answer.quota().retryAfter().orElse(Duration.ZERO);
        return retryAfter.compareTo(backoffWait) > 0 ? retryAfter : backoffWait;
    }

    private BulkFailure failure(BulkFailure.Kind kind, Answer answer, String message) {
        return new BulkFailure(kind, answer.status(), message, answer.body(), problemIn(answer.body()), answer.cause());
    }

    private Problem problemIn(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return problemReader.readValue(body, Problem.class);
        } catch (JsonProcessingException notAProblem) {
            return null;
        }
    }
}
