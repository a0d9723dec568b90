package dev.sofy.server.account;

import java.time.Clock;
import java.util.Optional;
import java.util.regex.Pattern;

/** Creates API keys and checks the key pair of each request. */
public final class KeyService {
    private static final Pattern ACCOUNT_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final int MAX_SECRET_LENGTH = 256;
    private static final int MIN_CHOSEN_SECRET_LENGTH = 16;
    /** Compared against when the key id is unknown, so that unknown and wrong cost the same. */
    private static final String UNKNOWN_KEY_DIGEST = Secrets.sha256Hex("unknown key");

    private final KeyStore store;
    private final Clock clock;

    public KeyService(KeyStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Creates a random key pair for the account, creating the account if needed. */
    public ApiKey create(String accountName) {
        requireAccountName(accountName);
        var key = new ApiKey(Secrets.randomToken(18), Secrets.randomToken(32), accountName);
        store.saveKey(accountName, key.id(), Secrets.sha256Hex(key.secret()), clock.instant());
        return key;
    }

    /** Makes sure an operator-chosen key pair exists (for automation), with this secret. */
    public void ensure(String accountName, String keyId, String secret) {
        requireAccountName(accountName);
        if (!KEY_ID.matcher(keyId).matches()) {
            throw new IllegalArgumentException("a key id has 1 to 64 characters among A-Z a-z 0-9 . _ -");
        }
        if (secret.length() < MIN_CHOSEN_SECRET_LENGTH || secret.length() > MAX_SECRET_LENGTH
                || !secret.equals(secret.strip())) {
            throw new IllegalArgumentException("a key secret has " + MIN_CHOSEN_SECRET_LENGTH + " to "
                    + MAX_SECRET_LENGTH + " characters and no surrounding white space");
        }
        store.saveKey(accountName, keyId, Secrets.sha256Hex(secret), clock.instant());
    }

    /** The account of a valid key pair; header values may carry surrounding white space. */
    public Account authenticate(String keyId, String secret) {
        if (keyId == null || secret == null || keyId.isBlank() || secret.isBlank()) {
            throw new AuthenticationException("Both X-API-KEY-ID and X-API-KEY-SECRET are required.");
        }
        String id = keyId.strip();
        String plain = secret.strip();
        Optional<KeyStore.StoredKey> stored = KEY_ID.matcher(id).matches() && plain.length() <= MAX_SECRET_LENGTH
                ? store.findKey(id)
                : Optional.empty();
        boolean matches = Secrets.matches(plain, stored.map(KeyStore.StoredKey::secretSha256).orElse(UNKNOWN_KEY_DIGEST));
        if (stored.isEmpty() || !matches) {
            throw new AuthenticationException("The API key is unknown or its secret is wrong.");
        }
        return stored.get().account();
    }

    public boolean hasKeys() {
        return store.hasKeys();
    }

    private static void requireAccountName(String accountName) {
        if (accountName == null || !ACCOUNT_NAME.matcher(accountName).matches()) {
            throw new IllegalArgumentException(
                    "an account name has 1 to 64 characters among A-Z a-z 0-9 . _ - and starts with a letter or digit");
        }
    }
}
