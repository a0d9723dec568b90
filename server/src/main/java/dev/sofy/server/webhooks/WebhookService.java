package dev.sofy.server.webhooks;

import dev.sofy.server.account.Account;
import dev.sofy.server.sms.SmsIds;
import dev.sofy.server.validation.ValidationException;
import dev.sofy.server.validation.Violation;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Registers, lists and removes the webhook endpoints of an account. */
public final class WebhookService {
    /** Endpoints an account may have. */
    public static final int MAX_ENDPOINTS = 10;
    /**
     * How long an event is kept once delivered or given up. Nothing reads it again; an operator
     * looking into a receiver's trouble may, in the database.
     */
    public static final Duration FINISHED_EVENTS_KEPT = Duration.ofDays(7);

    private final WebhookStore store;
    private final UrlGuard guard;
    private final Clock clock;

    public WebhookService(WebhookStore store, UrlGuard guard, Clock clock) {
        this.store = store;
        this.guard = guard;
        this.clock = clock;
    }

    /** A new endpoint with its signing secret; the URL must be one we may call. */
    public Endpoint register(Account account, String url, List<String> events) {
        guard.problemToRegister(url).ifPresent(problem -> {
            throw new ValidationException(new Violation("url", problem));
        });
        Set<EventType> types = new LinkedHashSet<>();
        for (String event : events) {
            types.add(EventType.fromWireName(event).orElseThrow(
                    () -> new ValidationException(new Violation("events", "has an unknown event type"))));
        }
        if (store.list(account.id()).size() >= MAX_ENDPOINTS) {
            throw new TooManyWebhooksException(MAX_ENDPOINTS);
        }
        var endpoint = new Endpoint(SmsIds.next(), account.id(), url, types, WebhookSignature.newSecret(),
                clock.instant().truncatedTo(ChronoUnit.MICROS), null, null);
        store.insert(endpoint);
        return endpoint;
    }

    public List<Endpoint> list(Account account) {
        return store.list(account.id());
    }

    /** Deletes the events delivered or given up more than {@link #FINISHED_EVENTS_KEPT} ago; run now and then. */
    public int forgetFinishedEvents() {
        return store.forgetFinishedBefore(clock.instant().minus(FINISHED_EVENTS_KEPT));
    }

    public void delete(Account account, String id) {
        if (!SmsIds.isWellFormed(id) || !store.delete(account.id(), id)) {
            throw new WebhookNotFoundException();
        }
    }
}
