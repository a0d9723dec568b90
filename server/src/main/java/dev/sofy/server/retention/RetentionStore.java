package dev.sofy.server.retention;

import java.time.Instant;

/** Deletes what is past retention, a bounded number of SMS a transaction. */
public interface RetentionStore {
    /**
     * Deletes, in one transaction, up to {@code max} SMS whose status is final and last changed
     * before {@code cutoff}, with their parts, status changes, links, clicks and idempotency keys;
     * returns how many. Never a pending SMS. An SMS whose status changes or clicks the webhook
     * sender has not yet recorded as events waits for it.
     */
    int deleteFinalSmsBefore(Instant cutoff, int max);

    /** Deletes, in one transaction, up to {@code max} inbound SMS received before {@code cutoff}; returns how many. */
    int deleteInboundSmsBefore(Instant cutoff, int max);
}
