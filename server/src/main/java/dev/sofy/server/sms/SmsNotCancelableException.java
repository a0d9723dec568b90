package dev.sofy.server.sms;

/** The SMS cannot be canceled: a carrier took it, it is final, or a dispatcher is handing it to a carrier. */
public final class SmsNotCancelableException extends RuntimeException {
    private final Status status;

    public SmsNotCancelableException(Status status) {
        super(detail(status), null, false, false);
        this.status = status;
    }

    public Status status() {
        return status;
    }

    private static String detail(Status status) {
        if (status == Status.PENDING) {
            return "The SMS is being handed to a carrier right now; it can no longer be canceled.";
        }
        return "The SMS is " + status.wireName() + "; only an SMS no carrier took yet can be canceled.";
    }
}
