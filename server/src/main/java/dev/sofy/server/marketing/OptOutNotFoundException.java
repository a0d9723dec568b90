package dev.sofy.server.marketing;

/** The number is not on the account's opt-out list. */
public final class OptOutNotFoundException extends RuntimeException {
    public OptOutNotFoundException() {
        super("This number is not on the account's opt-out list.", null, false, false);
    }
}
