package dev.sofy.server.sms;

/** No SMS with this id in the caller's account (whether it exists in another account is not said). */
public final class SmsNotFoundException extends RuntimeException {
    public SmsNotFoundException() {
        super("No SMS with this id in this account.", null, false, false);
    }
}
