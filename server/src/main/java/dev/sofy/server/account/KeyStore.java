package dev.sofy.server.account;

import dev.sofy.server.ratelimit.Kind;
import java.time.Instant;
import java.util.Optional;

/** Where accounts and the digests of their keys are kept. */
public interface KeyStore {

    /**
     * A key as stored: never its secret, only the secret's hex SHA-256. A null rate means the
     * server's default.
     */
    record StoredKey(String id, Account account, String secretSha256, Integer sendPerSecond,
                     Integer readPerSecond, boolean revoked) {}

    /**
     * Stores a key for the named account, creating the account if it does not exist. A key that
     * already exists keeps its account and its rates, and takes the new digest.
     */
    void saveKey(String accountName, String keyId, String secretSha256, Integer sendPerSecond,
                 Integer readPerSecond, Instant now);

    Optional<StoredKey> findKey(String keyId);

    boolean hasKeys();

    /** Whether a key with this id existed (revoked from now on). */
    boolean revoke(String keyId, Instant now);

    /** Sets one of the key's rates (null for the default); whether the key exists. */
    boolean setRate(String keyId, Kind kind, Integer perSecond);
}
