package dev.sofy.server.account;

import dev.sofy.server.ratelimit.AddressLimitedException;
import dev.sofy.server.ratelimit.FailedAuthentications;

/**
 * Checks the key pair of a request from a client address. A correct pair is always served; a wrong
 * one counts against its address, which is refused for a while once it fails too often.
 */
public final class Authenticator {
    private final KeyService keys;
    private final FailedAuthentications failures;

    public Authenticator(KeyService keys, FailedAuthentications failures) {
        this.keys = keys;
        this.failures = failures;
    }

    /**
     * The caller of a valid key pair. Otherwise {@link AuthenticationException}, or
     * {@link AddressLimitedException} when {@code address} has failed too often.
     */
    public Caller authenticate(String address, String keyId, String secret) {
        try {
            return keys.authenticate(keyId, secret);
        } catch (AuthenticationException refused) {
            failures.failed(address, keyId);
            throw refused;
        }
    }
}
