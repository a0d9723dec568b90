package dev.sofy.server.sms;

import java.time.Instant;
import java.util.List;

/**
 * A client's Idempotency-Key as remembered: the fingerprint of its request and the SMS it created;
 * for a batch, {@code smsId} is its first SMS and {@code batchSmsIds} all of them, in the order of
 * the answer (null for a single SMS).
 */
public record IdempotencyKey(String key, String requestSha256, String smsId, Instant createdAt,
                             List<String> batchSmsIds) {
    public IdempotencyKey {
        batchSmsIds = batchSmsIds == null ? null : List.copyOf(batchSmsIds);
    }

    /** The key of a single SMS. */
    public IdempotencyKey(String key, String requestSha256, String smsId, Instant createdAt) {
        this(key, requestSha256, smsId, createdAt, null);
    }
}
