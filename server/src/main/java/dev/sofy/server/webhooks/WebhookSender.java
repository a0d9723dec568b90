package dev.sofy.server.webhooks;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.sofy.api.model.WebhookEvent;
import dev.sofy.api.model.WebhookEventData;
import dev.sofy.api.model.WebhookEventType;
import dev.sofy.server.claims.ClaimLoop;
import dev.sofy.server.resources.Json;
import dev.sofy.server.resources.SmsResources;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the outbox: claims due events, POSTs each to its endpoint signed per Standard
 * Webhooks 1.0, and records the outcome. A 2xx is success; a 410 disables the endpoint; anything
 * else (another status, a timeout, a refused connection) is tried again on a schedule of about
 * three days, later if the endpoint's {@code Retry-After} asks for it. Redirects are not
 * followed: the address was checked, a redirect's would not be.
 */
public final class WebhookSender implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookSender.class);
    private static final Duration MAX_RETRY_AFTER = Duration.ofDays(1);

    /** About three days in all, like the Standard Webhooks guidance. */
    public static final List<Duration> DEFAULT_RETRY_DELAYS = List.of(
            Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofMinutes(2), Duration.ofMinutes(5),
            Duration.ofMinutes(30), Duration.ofHours(1), Duration.ofHours(2), Duration.ofHours(4), Duration.ofHours(8),
            Duration.ofHours(12), Duration.ofHours(12), Duration.ofHours(12), Duration.ofHours(12), Duration.ofHours(12));

    /** How the sender claims, sends and retries. */
    public record Settings(String nodeId, int batch, int concurrency, Duration timeout, List<Duration> retryDelays,
                           Duration lease, Duration idlePoll) {
        public Settings {
            retryDelays = List.copyOf(retryDelays);
        }

        public static Settings defaults(String nodeId, List<Duration> retryDelays) {
            return new Settings(nodeId, 100, 32, Duration.ofSeconds(10), retryDelays, Duration.ofMinutes(2),
                    Duration.ofMillis(200));
        }
    }

    private final WebhookStore store;
    private final UrlGuard guard;
    private final HttpClient http;
    private final Clock clock;
    private final Supplier<String> publicBaseUrl;
    private final Settings settings;
    private final ClaimLoop<Delivery> loop;

    public WebhookSender(WebhookStore store, UrlGuard guard, Clock clock, Supplier<String> publicBaseUrl, Settings settings) {
        this.store = store;
        this.guard = guard;
        this.clock = clock;
        this.publicBaseUrl = publicBaseUrl;
        this.settings = settings;
        this.http = HttpClient.newBuilder()
                .connectTimeout(settings.timeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.loop = new ClaimLoop<>("sofy-webhooks", settings.batch(), settings.concurrency(), settings.idlePoll(),
                this::claim, this::sendAndRecord, LOG, "Could not claim webhook events; trying again");
    }

    public void start() {
        store.releaseClaims(settings.nodeId(), now());
        loop.start();
    }

    /** Events were written: look now rather than at the next poll. */
    public void nudge() {
        loop.nudge();
    }

    private List<Delivery> claim(int max) {
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
        Optional<String> refused = guard.problemToCall(delivery.url());
        if (refused.isPresent()) {
            return CompletableFuture.completedFuture(
                    retryOrGiveUp(delivery, null, "refused: the URL " + refused.get(), Optional.empty()));
        }
        byte[] body = payload(delivery);
        long timestamp = clock.instant().getEpochSecond();
        HttpRequest request = HttpRequest.newBuilder(URI.create(delivery.url()))
                .timeout(settings.timeout())
                .header("Content-Type", Json.MEDIA_TYPE)
                .header("User-Agent", "sofy-webhooks/1")
                .header(WebhookSignature.ID_HEADER, delivery.eventId())
                .header(WebhookSignature.TIMESTAMP_HEADER, Long.toString(timestamp))
                .header(WebhookSignature.SIGNATURE_HEADER,
                        WebhookSignature.sign(delivery.secret(), delivery.eventId(), timestamp, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).handle((response, failure) -> {
            if (failure != null) {
                return retryOrGiveUp(delivery, null, failure.getClass().getSimpleName() + ": " + failure.getMessage(),
                        Optional.empty());
            } else if (response.statusCode() >= 200 && response.statusCode() < 300) {
                return store.delivered(delivery.id(), response.statusCode(), now());
            } else if (response.statusCode() == 410) {
                store.disable(delivery.endpointId(), "answered 410 Gone", now());
                return CompletableFuture.<Void>completedFuture(null);
            } else {
                return retryOrGiveUp(delivery, response.statusCode(), "answered " + response.statusCode(),
                        response.headers().firstValue("Retry-After"));
            }
        });
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

    private byte[] payload(Delivery delivery) {
        List<SmsResources.Link> links = delivery.links().stream().map(this::link).toList();
        var data = new WebhookEventData().sms(SmsResources.of(delivery.sms(), links));
        if (delivery.clicked() != null) {
            data.link(SmsResources.link(link(delivery.clicked())));
        }
        var event = new WebhookEvent()
                .type(WebhookEventType.fromValue(delivery.type().wireName()))
                .timestamp(delivery.occurredAt().atOffset(ZoneOffset.UTC))
                .sequence(delivery.sequence())
                .data(data);
        try {
            return Json.MAPPER.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private SmsResources.Link link(Delivery.Link link) {
        return new SmsResources.Link(link.url(), publicBaseUrl.get() + "/r/" + link.code(), link.clicks());
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    @Override
    public void close() {
        loop.close();
    }
}
