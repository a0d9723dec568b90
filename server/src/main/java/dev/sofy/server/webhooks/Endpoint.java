package dev.sofy.server.webhooks;

import java.time.Instant;
import java.util.Set;

/** A webhook endpoint of an account; {@code disabledAt} is set once it answered 410 Gone. */
public record Endpoint(String id, long accountId, String url, Set<EventType> events, String secret,
                       Instant createdAt, Instant disabledAt, String disabledReason) {
    public Endpoint {
        events = Set.copyOf(events);
    }

    public boolean enabled() {
        return disabledAt == null;
    }
}
