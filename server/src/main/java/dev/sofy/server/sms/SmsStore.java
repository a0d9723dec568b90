package dev.sofy.server.sms;

import java.time.Instant;
import dev.sofy.server.links.ShortLink;
import dev.sofy.server.links.TrackedLink;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Where SMS are kept. */
public interface SmsStore {

    /**
     * Stores a new SMS, its short links and, when not null, the idempotency key that created it,
     * in one transaction. The future completes once all are committed; it fails with
     * {@link DuplicateIdempotencyKeyException} when the account already has a live record of the
     * key, and with {@link StorageUnavailableException} when the database did not commit in time.
     */
    CompletableFuture<Void> insert(Message message, List<ShortLink> links, IdempotencyKey idempotencyKey);

    /** A new SMS with its short links. */
    record NewMessage(Message message, List<ShortLink> links) {
        public NewMessage {
            links = List.copyOf(links);
        }
    }

    /**
     * Stores the SMS of a batch, their short links and, when not null, the idempotency key that
     * created them, in one transaction: all or none. Fails as {@link #insert} does.
     */
    CompletableFuture<Void> insertBatch(List<NewMessage> messages, IdempotencyKey idempotencyKey);

    /** The SMS with these ids that belong to the account, in no particular order. */
    List<Message> findAll(long accountId, List<String> ids);

    /** The short links of these SMS with their clicks, by SMS id. */
    Map<String, List<TrackedLink>> links(List<String> smsIds);

    /** The SMS with this id if it belongs to the account. */
    Optional<Message> find(long accountId, String id);

    /**
     * At most {@code limit} SMS of the account, newest first (by creation time, then id), that
     * match the filters and come after {@code after} in that order when it is not null.
     */
    List<Message> list(long accountId, int limit, Position after, Status status, String to, Instant createdFrom,
                       Instant createdTo);

    /** Where a page ended: the creation time and id of its last SMS. */
    record Position(Instant createdAt, String id) {}

    /** The account's record of an idempotency key created at or after {@code notBefore}. */
    Optional<IdempotencyKey> findIdempotencyKey(long accountId, String key, Instant notBefore);

    /**
     * Cancels the account's SMS with this id, at {@code at}, if it is {@code pending} and no
     * dispatcher holds a live claim on it (it could be submitting it). Completes once committed,
     * with the SMS as it then is: empty when the account has no such SMS.
     */
    CompletableFuture<Cancellation> cancel(long accountId, String id, String reason, Instant at);

    /** What a cancel found: the SMS after it, and whether this cancel is what canceled it. */
    record Cancellation(Optional<Message> sms, boolean canceled) {}

    /** Forgets idempotency keys created before {@code cutoff}; how many. */
    int deleteIdempotencyKeysBefore(Instant cutoff);
}
