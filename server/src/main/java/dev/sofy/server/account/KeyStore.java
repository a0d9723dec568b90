package dev.sofy.server.account;

import java.time.Instant;
import java.util.Optional;

/** Where accounts and the digests of their keys are kept. */
public interface KeyStore {

    /** A key as stored: never its secret, only the secret's hex SHA-256. */
    record StoredKey(String id, Account account, String secretSha256) {}

    /**
     * Stores a key for the named account, creating the account if it does not exist. A key that
     * already exists keeps its account and takes the new digest.
     */
    void saveKey(String accountName, String keyId, String secretSha256, Instant now);

    Optional<StoredKey> findKey(String keyId);

    boolean hasKeys();
}
