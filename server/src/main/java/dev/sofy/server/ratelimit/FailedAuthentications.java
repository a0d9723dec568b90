package dev.sofy.server.ratelimit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import dev.sofy.server.logging.LogContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Failed authentications by client address: beyond a rate, after a burst, an address's further
 * failures are refused, and they are all reported in aggregate, one line per address and interval.
 * At most {@value #MAX_LISTED_ADDRESSES} addresses are listed an interval; the failures of the
 * others are counted together, so that a client spraying addresses cannot grow the heap or the log.
 */
public final class FailedAuthentications {
    static final int MAX_LISTED_ADDRESSES = 100;
    /** Distinct key ids shown for an address. */
    static final int MAX_KEY_IDS = 3;
    /**
     * Characters of a key id shown: enough to tell one's own key, too few to give away the secret
     * of a client that swapped the two headers.
     */
    static final int KEY_ID_SHOWN = 4;
    static final String NO_KEY_ID = "(none)";
    private static final Logger LOG = LoggerFactory.getLogger(FailedAuthentications.class);

    /**
     * An address's failures in an interval; {@code keyIds} truncated, at most {@link #MAX_KEY_IDS},
     * and the ids of the first {@link #MAX_KEY_IDS} requests that failed, when they had one.
     */
    record Tally(long failures, long refused, Set<String> keyIds, boolean moreKeyIds, List<String> requestIds) {
        Tally add(String keyId, boolean wasRefused, String requestId) {
            Set<String> ids = keyIds;
            boolean more = moreKeyIds;
            if (!keyIds.contains(keyId)) {
                if (keyIds.size() < MAX_KEY_IDS) {
                    ids = new LinkedHashSet<>(keyIds);
                    ids.add(keyId);
                } else {
                    more = true;
                }
            }
            List<String> requests = requestIds;
            if (requestId != null && requestIds.size() < MAX_KEY_IDS) {
                requests = new ArrayList<>(requestIds);
                requests.add(requestId);
            }
            return new Tally(failures + 1, refused + (wasRefused ? 1 : 0), ids, more, requests);
        }
    }

    private final AddressLimiter limiter;
    private final Clock clock;
    private final ConcurrentHashMap<String, Tally> listed = new ConcurrentHashMap<>();
    private final AtomicLong othersFailures = new AtomicLong();
    private final AtomicLong othersRefused = new AtomicLong();
    private final AtomicReference<Instant> intervalStart;

    public FailedAuthentications(int perSecond, int burst, Clock clock) {
        this(perSecond, burst, clock, new CompositeMeterRegistry());
    }

    /** @param metrics where the failures refused count, as the {@code failed_authentication} limit */
    public FailedAuthentications(int perSecond, int burst, Clock clock, MeterRegistry metrics) {
        this.limiter = new AddressLimiter(perSecond, burst, RateLimiter.refusals(metrics, "failed_authentication"));
        this.clock = clock;
        this.intervalStart = new AtomicReference<>(clock.instant());
    }

    /**
     * Counts a failed authentication from {@code address} (as the socket reports it) with the key
     * id it gave, if any; throws {@link AddressLimitedException} when the address is over its rate.
     */
    public void failed(String address, String keyId) {
        AddressLimiter.Admission admission = limiter.acquire(address);
        count(AddressLimiter.client(address), shown(keyId), !admission.allowed());
        if (!admission.allowed()) {
            throw new AddressLimitedException("Too many failed authentications from this address. Retry after "
                    + admission.retryAfterSeconds() + " s; a correct key pair is still served.",
                    admission.retryAfterSeconds());
        }
    }

    private void count(String client, String keyId, boolean refused) {
        if (listed.size() >= MAX_LISTED_ADDRESSES && !listed.containsKey(client)) {
            othersFailures.incrementAndGet();
            if (refused) {
                othersRefused.incrementAndGet();
            }
            return;
        }
        // Counted on the request's thread: the MDC names the request, as its answer does.
        String requestId = MDC.get(LogContext.REQUEST_ID);
        listed.merge(client, new Tally(1, refused ? 1 : 0, Set.of(keyId), false,
                        requestId == null ? List.of() : List.of(requestId)),
                (tally, one) -> tally.add(keyId, refused, requestId));
    }

    /** Logs the failures since the last call, one line per address, and starts a new interval. */
    public void logAndReset() {
        takeReport().forEach(LOG::warn);
    }

    /** The lines {@link #logAndReset()} logs: the failures since the last call, which it forgets. */
    List<String> takeReport() {
        Instant now = clock.instant();
        long seconds = Math.round(Duration.between(intervalStart.getAndSet(now), now).toMillis() / 1000.0);
        List<String> lines = new ArrayList<>();
        for (String client : List.copyOf(listed.keySet())) {
            Tally tally = listed.remove(client);
            if (tally != null) {
                lines.add(failed(tally.failures()) + " from " + readable(client) + " in the last "
                        + seconds + " s, " + tally.refused() + " of them refused with 429; key ids tried: "
                        + String.join(", ", tally.keyIds()) + (tally.moreKeyIds() ? " and others" : "")
                        + (tally.requestIds().isEmpty() ? "" : "; first request ids: " + String.join(", ", tally.requestIds())));
            }
        }
        long failures = othersFailures.getAndSet(0);
        long refused = othersRefused.getAndSet(0);
        if (failures > 0) {
            lines.add(failed(failures) + " from addresses beyond the " + MAX_LISTED_ADDRESSES
                    + " listed in the last " + seconds + " s, " + refused + " of them refused with 429");
        }
        return lines;
    }

    private static String failed(long count) {
        return count + (count == 1 ? " failed authentication" : " failed authentications");
    }

    /** The start of a key id, in characters a key id may have; {@link #NO_KEY_ID} without one. */
    static String shown(String keyId) {
        String id = keyId == null ? "" : keyId.strip();
        if (id.isEmpty()) {
            return NO_KEY_ID;
        }
        var shown = new StringBuilder();
        id.codePoints().limit(KEY_ID_SHOWN).forEach(c -> shown.append(
                c < 128 && (Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '-') ? (char) c : '?'));
        return id.codePointCount(0, id.length()) > KEY_ID_SHOWN ? shown + "…" : shown.toString();
    }

    /** An IPv6 /64 as {@code 2001:db8:0:1::/64} rather than the limiter's 16 hex digits. */
    static String readable(String client) {
        if (!client.endsWith("/64")) {
            return client;
        }
        var groups = new ArrayList<String>();
        for (int i = 0; i < 16; i += 4) {
            groups.add(Integer.toHexString(Integer.parseInt(client.substring(i, i + 4), 16)));
        }
        return String.join(":", groups) + "::/64";
    }
}
