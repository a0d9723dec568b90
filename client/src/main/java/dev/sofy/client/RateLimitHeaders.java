package dev.sofy.client;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an answer's headers say about the key's quota: {@code x-ratelimit-remaining},
 * {@code x-ratelimit-reset} (seconds until a unit of quota is reclaimed) and {@code Retry-After}.
 * Values that are missing or malformed are treated as absent.
 */
final class RateLimitHeaders {
    private final HttpHeaders headers;

    private RateLimitHeaders(HttpHeaders headers) {
        this.headers = headers;
    }

    static RateLimitHeaders of(HttpHeaders headers) {
        return headers == null ? none() : new RateLimitHeaders(headers);
    }

    /** For the header map of an {@link ApiResponse}; names are matched regardless of case. */
    static RateLimitHeaders of(Map<String, List<String>> headers) {
        return headers == null ? none() : new RateLimitHeaders(HttpHeaders.of(headers, (name, value) -> true));
    }

    /** For an attempt that got no answer. */
    static RateLimitHeaders none() {
        return new RateLimitHeaders(HttpHeaders.of(Map.of(), (name, value) -> true));
    }

    /** True when the answer says no quota is left: Sofy tells bulk senders to sleep {@link #reset()} then. */
    boolean quotaSpent() {
        return seconds("x-ratelimit-remaining").filter(remaining -> remaining == 0).isPresent();
    }

    /** {@code x-ratelimit-reset}, when the answer has one. */
    Optional<Duration> reset() {
        return seconds("x-ratelimit-reset").map(Duration::ofSeconds);
    }

    /**
     * How long a refused request should wait, from {@code Retry-After} (seconds or an HTTP date),
     * when the answer has a positive one.
     */
    Optional<Duration> retryAfter() {
        Optional<String> value = headers.firstValue("Retry-After").map(String::strip);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        Optional<Duration> wait = parseSeconds(value.get()).map(Duration::ofSeconds)
                .or(() -> untilHttpDate(value.get()));
        return wait.filter(duration -> !duration.isNegative() && !duration.isZero());
    }

    private Optional<Long> seconds(String name) {
        return headers.firstValue(name).map(String::strip).flatMap(RateLimitHeaders::parseSeconds);
    }

    private static Optional<Long> parseSeconds(String value) {
        try {
            long seconds = Long.parseLong(value);
            return seconds < 0 ? Optional.empty() : Optional.of(seconds);
        } catch (NumberFormatException notANumber) {
            return Optional.empty();
        }
    }

    private static Optional<Duration> untilHttpDate(String value) {
        try {
            ZonedDateTime date = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
            return Optional.of(Duration.between(ZonedDateTime.now(date.getZone()), date));
        } catch (DateTimeParseException notADate) {
            return Optional.empty();
        }
    }
}
