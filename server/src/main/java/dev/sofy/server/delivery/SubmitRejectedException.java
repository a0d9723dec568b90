package dev.sofy.server.delivery;

/**
 * The carrier refused the SMS for good (an invalid destination, a barred sender): retrying will
 * not help. {@code reason} is machine-readable, for example {@code smsc-rejected:0x0000000B}.
 */
public final class SubmitRejectedException extends RuntimeException {
    private final String reason;

    public SubmitRejectedException(String reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
