package dev.sofy.client;

import dev.sofy.client.model.SmsCreateRequest;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Sends many SMS in parallel through the generated client, within the key's rate limit, and
 * never one twice:
 *
 * <pre>{@code
 * BulkResult result = BulkSender.over(Sofy.apiClient(baseUri, keyId, keySecret))
 *         .concurrency(8)
 *         .onProgress(progress -> System.out.println(progress.done() + "/" + progress.total()))
 *         .send(requests);
 * }</pre>
 *
 * <ul>
 *   <li>SMS go in batches of up to 1,000 ({@code POST /v1/sms/batch}, see {@link #batchSize}); a
 *       server without batches gets one request an SMS. Outcomes, progress and failures are still
 *       told SMS by SMS: a batch refused for some of its SMS is sent again without them.</li>
 *   <li>Each request gets its own {@code Idempotency-Key}, a random UUID chosen before its first
 *       attempt, and every retry of it carries the same key: the server creates its SMS at most
 *       once.</li>
 *   <li>When an answer says {@code x-ratelimit-remaining: 0}, every worker pauses
 *       {@code x-ratelimit-reset} seconds before its next request. A {@code 429} pauses them all
 *       for its {@code Retry-After} (else {@code x-ratelimit-reset}, else one second), and the
 *       refused SMS is sent again; the server did not process it, so it does not count as an
 *       attempt.</li>
 *   <li>Timeouts, connection failures, {@code 409} (the same key still in flight) and {@code 5xx}
 *       are retried with exponential backoff and jitter (or after their {@code Retry-After}, when
 *       it is longer), up to {@link #maxAttempts} attempts and for at most {@link #giveUpAfter}
 *       after the SMS's first attempt.</li>
 *   <li>Any other refusal ({@code 400}, {@code 401}, {@code 422}...) is the caller's to fix: it is
 *       not retried, and its outcome carries the problem.</li>
 * </ul>
 *
 * <p>A sender is immutable: each setting returns a new one, and one sender can run several
 * {@link #send}s, at once or in turn. The requests must not be changed while they are sent, since
 * a retry must carry the same body as the first attempt.
 */
public final class BulkSender {
    /** The most SMS the server takes in one batch. */
    public static final int MAX_BATCH = 1_000;

    private final ApiClient apiClient;
    private final int concurrency;
    private final int maxAttempts;
    private final Duration giveUpAfter;
    private final Duration firstBackoff;
    private final Duration maxBackoff;
    private final Consumer<BulkProgress> onProgress;
    private final int batchSize;
    /** Shared by the senders made from one {@link #over}: once a server said it has no batches. */
    private final AtomicBoolean noBatches;

    private BulkSender(ApiClient apiClient, int concurrency, int maxAttempts, Duration giveUpAfter,
                       Duration firstBackoff, Duration maxBackoff, Consumer<BulkProgress> onProgress,
                       int batchSize, AtomicBoolean noBatches) {
        this.batchSize = batchSize;
        this.noBatches = noBatches;
        this.apiClient = apiClient;
        this.concurrency = concurrency;
        this.maxAttempts = maxAttempts;
        this.giveUpAfter = giveUpAfter;
        this.firstBackoff = firstBackoff;
        this.maxBackoff = maxBackoff;
        this.onProgress = onProgress;
    }

    /**
     * A sender over {@code apiClient}, such as {@link Sofy#apiClient} makes: 8 requests at once, 6
     * attempts per SMS within 2 minutes, backoff from 200 ms to 10 s, no progress listener. Each
     * request's timeout is the client's read timeout.
     */
    public static BulkSender over(ApiClient apiClient) {
        return new BulkSender(Objects.requireNonNull(apiClient, "apiClient"), 8, 6, Duration.ofMinutes(2),
                Duration.ofMillis(200), Duration.ofSeconds(10), progress -> {}, MAX_BATCH, new AtomicBoolean());
    }

    /**
     * How many SMS go in one request: up to this many in a {@code POST /v1/sms/batch}, or, with
     * {@code 1}, each in its own {@code POST /v1/sms}. When the server answers a batch with
     * {@code 404} or {@code 405} (a server without batches), this sender, and those made from it,
     * send one SMS a request from then on.
     */
    public BulkSender batchSize(int smsPerRequest) {
        if (smsPerRequest < 1 || smsPerRequest > MAX_BATCH) {
            throw new IllegalArgumentException("batchSize must be 1 to " + MAX_BATCH + ", not " + smsPerRequest);
        }
        return new BulkSender(apiClient, concurrency, maxAttempts, giveUpAfter, firstBackoff, maxBackoff, onProgress,
                smsPerRequest, noBatches);
    }

    /** How many requests may wait for their answer at once, each on its own worker thread. */
    public BulkSender concurrency(int requestsAtOnce) {
        if (requestsAtOnce < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1, not " + requestsAtOnce);
        }
        return new BulkSender(apiClient, requestsAtOnce, maxAttempts, giveUpAfter, firstBackoff, maxBackoff,
                onProgress, batchSize, noBatches);
    }

    /**
     * How many times one SMS may be tried before it is given up, {@code 429} answers not counted:
     * {@code 1} retries only after a {@code 429}.
     */
    public BulkSender maxAttempts(int attempts) {
        if (attempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, not " + attempts);
        }
        return new BulkSender(apiClient, concurrency, attempts, giveUpAfter, firstBackoff, maxBackoff, onProgress,
                batchSize, noBatches);
    }

    /**
     * How long an SMS may be retried after its first attempt. A retry that could only start later
     * is not made, and the SMS is given up.
     */
    public BulkSender giveUpAfter(Duration budget) {
        requirePositive(budget, "giveUpAfter");
        return new BulkSender(apiClient, concurrency, maxAttempts, budget, firstBackoff, maxBackoff, onProgress,
                batchSize, noBatches);
    }

    /**
     * The wait before the first retry of a failed attempt, doubled at each further one up to
     * {@code max}; each wait is drawn between half and all of that, so that workers spread out.
     */
    public BulkSender backoff(Duration first, Duration max) {
        requirePositive(first, "first backoff");
        requirePositive(max, "max backoff");
        if (max.compareTo(first) < 0) {
            throw new IllegalArgumentException("the max backoff " + max + " is shorter than the first " + first);
        }
        return new BulkSender(apiClient, concurrency, maxAttempts, giveUpAfter, first, max, onProgress,
                batchSize, noBatches);
    }

    /**
     * Called after every change: a request sent, an SMS sent or failed, a retry decided. Calls come
     * from the worker threads one at a time, so the listener should be quick. What it throws goes
     * to the thread's uncaught-exception handler, and the run goes on.
     */
    public BulkSender onProgress(Consumer<BulkProgress> listener) {
        return new BulkSender(apiClient, concurrency, maxAttempts, giveUpAfter, firstBackoff, maxBackoff,
                Objects.requireNonNull(listener, "listener"), batchSize, noBatches);
    }

    /**
     * Sends every request and returns when each has its outcome, in the order of the requests.
     * Failures are outcomes, not exceptions.
     *
     * @throws InterruptedException when the calling thread is interrupted; the workers are
     *                              interrupted too, and SMS still in flight may or may not be created
     */
    public BulkResult send(List<SmsCreateRequest> requests) throws InterruptedException {
        return new BulkRun(apiClient, List.copyOf(requests), concurrency, maxAttempts, giveUpAfter,
                new Backoff(firstBackoff, maxBackoff), onProgress, batchSize, noBatches).run();
    }

    private static void requirePositive(Duration duration, String what) {
        Objects.requireNonNull(duration, what);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, not " + duration);
        }
    }
}
