package dev.sofy.server.sms;

/** The database did not take the SMS in time; the client may retry (safely, with an Idempotency-Key). */
public final class StorageUnavailableException extends RuntimeException {
    public StorageUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
