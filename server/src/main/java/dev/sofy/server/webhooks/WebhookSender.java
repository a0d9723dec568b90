package dev.sofy.server.webhooks;

import dev.sofy.server.claims.ClaimLoop;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the outbox: claims due events, POSTs each to its endpoint signed per Standard
 * Webhooks 1.0, and records the outcome. A 2xx is success; a 410 disables the endpoint; anything
 * else (another status, a timeout, a refused connection) is tried again on a schedule of about
 * three days, later if the endpoint's {@code Retry-After} asks for it. The client connects only
 * to addresses the {@link UrlGuard} checked as it resolved them, and uses no proxy. Redirects are
 * not followed: the address was checked, a redirect's would not be.
 */
public final class WebhookSender implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookSender.class);
    private static final Duration MAX_RETRY_AFTER = Duration.ofDays(1);
    /** Status changes recorded as events at a time, at most; as many clicks. */
    private static final int RECORDED_AT_ONCE = 1_000;
    /**
     * How often status changes and clicks are recorded as events, at most: claims come one after
     * another while events flow, and on PostgreSQL each recording waits for the writers of every node.
     */
    private static final Duration RECORDING_INTERVAL = Duration.ofMillis(100);

    /**
     * How the sender claims, sends and retries. While ingest is busy, it claims no more often than
     * every {@code yieldPause}.
     */
    public record Settings(String nodeId, int batch, int concurrency, Duration yieldPause, Duration timeout,
                           List<Duration> retryDelays, Duration lease, Duration idlePoll) {
        public Settings {
            retryDelays = List.copyOf(retryDelays);
        }

        public static Settings defaults(String nodeId, List<Duration> retryDelays, Duration timeout) {
            return defaults(nodeId, retryDelays, timeout, Duration.ofMinutes(2));
        }

        /**
         * With the claim lease of {@code SOFY_CLAIM_LEASE}, made at least twice the timeout: an
         * attempt still under way is not taken over by another node.
         */
        public static Settings defaults(String nodeId, List<Duration> retryDelays, Duration timeout, Duration lease) {
            Duration held = lease.compareTo(timeout.multipliedBy(2)) >= 0 ? lease : timeout.multipliedBy(2);
            return new Settings(nodeId, 100, 32, Duration.ofSeconds(1), timeout, retryDelays, held,
                    Duration.ofMillis(200));
        }
    }

    private final WebhookStore store;
    private final UrlGuard guard;
    private final HttpClient http;
    private final Clock clock;
    private final WebhookPayloads payloads;
    private final Settings settings;
    private final ClaimLoop<Delivery> loop;
    private final BooleanSupplier ingestBusy;
    private final Counter delivered;
    private final Counter retried;
    private final Counter gaveUp;
    private final Counter disabled;
    /** Only the claiming thread reads and writes it. */
    private long recordedAtNanos = System.nanoTime() - RECORDING_INTERVAL.toNanos();

    /**
     * @param ingestBusy whether taking SMS in needs everything the server has: the sender then
     *     yields, recording no status change or click as an event and claiming one batch every
     *     {@link Settings#yieldPause()}. Status changes, clicks and events wait meanwhile, and go at full
     *     pace once the load drops.
     */
    public WebhookSender(WebhookStore store, UrlGuard guard, Clock clock, WebhookPayloads payloads, Settings settings,
                         BooleanSupplier ingestBusy) {
        this(store, guard, clock, payloads, settings, ingestBusy, new CompositeMeterRegistry());
    }

    /** @param metrics where {@code sofy_webhook_deliveries_total} counts the attempts by outcome */
    public WebhookSender(WebhookStore store, UrlGuard guard, Clock clock, WebhookPayloads payloads, Settings settings,
                         BooleanSupplier ingestBusy, MeterRegistry metrics) {
        this.delivered = deliveries(metrics, "delivered");
        this.retried = deliveries(metrics, "retried");
        this.gaveUp = deliveries(metrics, "failed");
        this.disabled = deliveries(metrics, "disabled");
        this.store = store;
        this.guard = guard;
        this.clock = clock;
        this.payloads = payloads;
        this.settings = settings;
        this.ingestBusy = ingestBusy;
        this.http = httpClient(settings, guard);
        this.loop = new ClaimLoop<>("sofy-webhooks", settings.batch(), settings.concurrency(), settings.idlePoll(),
                ingestBusy, settings.yieldPause(), this::claim, this::sendAndRecord, LOG,
                "Could not claim webhook events; trying again");
    }

    /**
     * Attempts by outcome: {@code delivered} (a 2xx), {@code retried} (failed, tried again later),
     * {@code failed} (failed for the last time), {@code disabled} (a 410 disabled the endpoint).
     */
    private static Counter deliveries(MeterRegistry metrics, String outcome) {
        return Counter.builder("sofy.webhook.deliveries")
                .description("Webhook delivery attempts, by outcome")
                .tag("outcome", outcome)
                .register(metrics);
    }

    /**
     * Jetty's client, not the JDK's: on loopback it took about 70 microseconds of CPU per POST
     * where the JDK's took about 400, on the two cores that ingest also needs. Daemon threads, so
     * that a sender left open never keeps the JVM alive. Its proxy configuration stays empty (Jetty
     * reads none from system properties): a proxy would resolve and connect past the guard.
     */
    private static HttpClient httpClient(Settings settings, UrlGuard guard) {
        var http = new HttpClient();
        var threads = new QueuedThreadPool(Math.max(8, settings.concurrency() / 2), 1);
        threads.setName("sofy-webhooks-http");
        threads.setDaemon(true);
        http.setExecutor(threads);
        http.setSocketAddressResolver(new CheckedAddressResolver(guard, threads));
        http.setScheduler(new ScheduledExecutorScheduler("sofy-webhooks-timeouts", true));
        http.setConnectTimeout(settings.timeout().toMillis());
        http.setFollowRedirects(false);
        http.setMaxConnectionsPerDestination(settings.concurrency());
        http.setUserAgentField(new HttpField(HttpHeader.USER_AGENT, "sofy-webhooks/1"));
        return http;
    }

    public void start() {
        try {
            http.start();
            // The answer's body is never read: asking for it compressed would only mean decompressing it.
            http.getContentDecoderFactories().clear();
        } catch (Exception e) {
            throw new IllegalStateException("could not start the webhook HTTP client", e);
        }
        store.releaseClaims(settings.nodeId(), now());
        loop.start();
    }

    /** Events were written: look now rather than at the next poll. */
    public void nudge() {
        loop.nudge();
    }

    /**
     * Status changes and clicks become events here, not when they happen, so that while taking SMS
     * in needs everything the server has, the writer spends nothing on webhooks either.
     */
    private List<Delivery> claim(int max) {
        long nanos = System.nanoTime();
        if (nanos - recordedAtNanos >= RECORDING_INTERVAL.toNanos() && !ingestBusy.getAsBoolean()) {
            store.recordEvents(RECORDED_AT_ONCE);
            recordedAtNanos = nanos;
        }
        Instant now = now();
        return store.claimDue(settings.nodeId(), max, now, now.plus(settings.lease()));
    }

    /**
     * A sending slot is free again once the endpoint answered: the event stays claimed until its
     * outcome is committed, and the commit queue records outcomes in batches.
     */
    private void sendAndRecord(Delivery delivery) {
        CompletableFuture<CompletableFuture<Void>> answered;
        try {
            answered = send(delivery);
        } catch (RuntimeException e) {
            answered = CompletableFuture.failedFuture(e);
        }
        answered.whenComplete((recording, failure) -> {
            loop.release();
            (failure == null ? recording : CompletableFuture.<Void>failedFuture(failure))
                    .whenComplete((recorded, notRecorded) -> {
                        if (notRecorded != null) {
                            LOG.warn("Could not record the outcome of webhook event {}", delivery.id(), notRecorded);
                        }
                    });
        });
    }

    /** Completes once the endpoint answered or could not be reached, with the recording of that outcome. */
    private CompletableFuture<CompletableFuture<Void>> send(Delivery delivery) {
        Optional<String> refused = guard.problemWithUrl(delivery.url());
        if (refused.isPresent()) {
            return CompletableFuture.completedFuture(
                    retryOrGiveUp(delivery, null, "refused: the URL " + refused.get(), Optional.empty()));
        }
        byte[] body = payloads.of(delivery);
        long timestamp = clock.instant().getEpochSecond();
        var answered = new CompletableFuture<CompletableFuture<Void>>();
        http.newRequest(delivery.url())
                .method(HttpMethod.POST)
                .timeout(settings.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .headers(headers -> headers
                        .put(WebhookSignature.ID_HEADER, delivery.eventId())
                        .put(WebhookSignature.TIMESTAMP_HEADER, Long.toString(timestamp))
                        .put(WebhookSignature.SIGNATURE_HEADER,
                                WebhookSignature.sign(delivery.secret(), delivery.eventId(), timestamp, body)))
                .body(new BytesRequestContent(WebhookPayloads.MEDIA_TYPE, body))
                .send(result -> {
                    try {
                        answered.complete(record(delivery, result));
                    } catch (RuntimeException e) {
                        answered.completeExceptionally(e);
                    }
                });
        return answered;
    }

    /** The body of the answer is not read: only its status and {@code Retry-After} matter. */
    private CompletableFuture<Void> record(Delivery delivery, Result result) {
        if (result.isFailed()) {
            Throwable failure = result.getFailure();
            String error = refusal(failure)
                    .map(refused -> "refused: the URL " + refused.problem()
                            + " (" + refused.address().getHostAddress() + ")")
                    .orElseGet(() -> failure.getClass().getSimpleName() + ": " + failure.getMessage());
            return retryOrGiveUp(delivery, null, error, Optional.empty());
        }
        int status = result.getResponse().getStatus();
        if (status >= 200 && status < 300) {
            delivered.increment();
            return store.delivered(delivery.id(), status, now());
        } else if (status == 410) {
            disabled.increment();
            store.disable(delivery.endpointId(), "answered 410 Gone", now());
            return CompletableFuture.completedFuture(null);
        } else {
            return retryOrGiveUp(delivery, status, "answered " + status,
                    Optional.ofNullable(result.getResponse().getHeaders().get(HttpHeader.RETRY_AFTER)));
        }
    }

    private static Optional<UrlGuard.RefusedAddressException> refusal(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof UrlGuard.RefusedAddressException refused) {
                return Optional.of(refused);
            }
        }
        return Optional.empty();
    }

    private CompletableFuture<Void> retryOrGiveUp(Delivery delivery, Integer status, String error,
                                                  Optional<String> retryAfter) {
        int attempt = delivery.attempts();
        Instant now = now();
        Instant next = null;
        if (attempt < settings.retryDelays().size()) {
            Duration delay = jittered(settings.retryDelays().get(attempt));
            Duration asked = retryAfter.flatMap(value -> retryAfter(value, now)).orElse(Duration.ZERO);
            next = now.plus(asked.compareTo(delay) > 0 ? min(asked, MAX_RETRY_AFTER) : delay);
        }
        (next == null ? gaveUp : retried).increment();
        return store.failed(delivery.id(), status, error, next, now);
    }

    /** {@code Retry-After} is either seconds or an HTTP date. */
    static Optional<Duration> retryAfter(String value, Instant now) {
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(value.strip()))));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                return Optional.of(at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO);
            } catch (DateTimeParseException neither) {
                return Optional.empty();
            }
        }
    }

    private static Duration jittered(Duration delay) {
        long millis = delay.toMillis();
        return Duration.ofMillis(millis - millis / 5 + ThreadLocalRandom.current().nextLong(millis / 5 * 2 + 1));
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    @Override
    public void close() {
        loop.close();
        try {
            http.stop();
        } catch (Exception e) {
            LOG.debug("Stopping the webhook HTTP client: {}", e.toString());
        }
    }
}
