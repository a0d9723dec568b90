package dev.sofy.server.webhooks;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Where endpoints and their outbox are kept. */
public interface WebhookStore {

    void insert(Endpoint endpoint);

    /** The account's endpoints, oldest first. */
    List<Endpoint> list(long accountId);

    /** Whether the account had an endpoint with this id (its undelivered events go with it). */
    boolean delete(long accountId, String id);

    /**
     * Records the status changes and clicks that no event stands for yet as events of the
     * endpoints that wanted them, up to {@code max} of each a call, oldest first; returns how many
     * ids of status changes and clicks it went past. Neither is an event before that.
     */
    int recordEvents(int max);

    /** Claims up to {@code max} events due at {@code now} for {@code node}, until {@code leaseUntil}. */
    List<Delivery> claimDue(String node, int max, Instant now, Instant leaseUntil);

    /** Frees the events a node had claimed before it restarted: they are due at {@code now}. */
    int releaseClaims(String node, Instant now);

    /** The endpoint took the event; completes once that is committed. */
    CompletableFuture<Void> delivered(long deliveryId, int status, Instant at);

    /**
     * The attempt failed; tried again from {@code nextAttemptAt}, or never when it is null.
     * Completes once that is committed.
     */
    CompletableFuture<Void> failed(long deliveryId, Integer status, String error, Instant nextAttemptAt, Instant at);

    /** The endpoint is gone: it gets no more events, and those waiting are dropped. */
    void disable(String endpointId, String reason, Instant at);

    /** Deletes the events delivered or given up before {@code cutoff}; returns how many. */
    int forgetFinishedBefore(Instant cutoff);
}
