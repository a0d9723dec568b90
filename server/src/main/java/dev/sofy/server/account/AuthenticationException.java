package dev.sofy.server.account;

/** The request's key pair is missing, unknown or wrong. */
public final class AuthenticationException extends RuntimeException {
    public AuthenticationException(String message) {
        super(message, null, false, false);
    }
}
