package dev.sofy.server.inbound;

/** No inbound SMS with this id in the caller's account (whether it exists in another account is not said). */
public final class InboundSmsNotFoundException extends RuntimeException {
    public InboundSmsNotFoundException() {
        super("No inbound SMS with this id in this account.", null, false, false);
    }
}
