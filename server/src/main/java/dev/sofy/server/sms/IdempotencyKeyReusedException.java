package dev.sofy.server.sms;

/** The idempotency key was used in the last 24 hours with another request body. */
public final class IdempotencyKeyReusedException extends RuntimeException {
    public IdempotencyKeyReusedException() {
        super("This Idempotency-Key was used in the last 24 hours with another request body.", null, false, false);
    }
}
