package dev.sofy.server.sms;

import java.time.Instant;
import java.util.Optional;

/** Where SMS are kept. */
public interface SmsStore {

    /**
     * Stores a new SMS and, when not null, the idempotency key that created it, in one
     * transaction; when this returns, both are committed.
     *
     * @throws DuplicateIdempotencyKeyException when the account already has a live record of the key
     * @throws StorageUnavailableException when the database did not commit in time
     */
    void insert(Message message, IdempotencyKey idempotencyKey);

    /** The SMS with this id if it belongs to the account. */
    Optional<Message> find(long accountId, String id);

    /** The account's record of an idempotency key created at or after {@code notBefore}. */
    Optional<IdempotencyKey> findIdempotencyKey(long accountId, String key, Instant notBefore);

    /** Forgets idempotency keys created before {@code cutoff}; how many. */
    int deleteIdempotencyKeysBefore(Instant cutoff);
}
