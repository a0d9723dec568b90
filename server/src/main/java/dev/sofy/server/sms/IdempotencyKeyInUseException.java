package dev.sofy.server.sms;

/** A request with the same idempotency key is still being processed. */
public final class IdempotencyKeyInUseException extends RuntimeException {
    public IdempotencyKeyInUseException() {
        super("A request with this Idempotency-Key is still being processed. Retry when it has finished.",
                null, false, false);
    }
}
