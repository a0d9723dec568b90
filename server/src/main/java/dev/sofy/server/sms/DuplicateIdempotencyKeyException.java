package dev.sofy.server.sms;

/** Another request stored the same idempotency key first (on another node, or a moment ago). */
public final class DuplicateIdempotencyKeyException extends RuntimeException {
    public DuplicateIdempotencyKeyException(Throwable cause) {
        super("the idempotency key is already stored", cause);
    }
}
