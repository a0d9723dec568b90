package dev.sofy.server.account;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.sofy.server.ratelimit.Kind;
import java.time.Clock;
import java.time.Duration;
import java.util.regex.Pattern;

/** Creates API keys and checks the key pair of each request. */
public final class KeyService {
    /**
     * How long a found key is trusted without reading it again: revocations and rate changes made
     * by another process take this long.
     */
    public static final Duration DEFAULT_CACHE_TTL = Duration.ofSeconds(5);

    private static final Pattern ACCOUNT_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    public static final int MAX_SECRET_LENGTH = 256;
    /** Operator-chosen secrets get SHA-256 like random ones, so must be as hard to guess: see {@link Secrets}. */
    public static final int MIN_CHOSEN_SECRET_LENGTH = 32;
    private static final int MAX_CACHED_KEYS = 100_000;
    /** Compared against when the key id is unknown, so that unknown and wrong cost the same. */
    private static final String UNKNOWN_KEY_DIGEST = Secrets.sha256Hex("unknown key");

    private final KeyStore store;
    private final Clock clock;
    private final int defaultSendPerSecond;
    private final int defaultReadPerSecond;
    /**
     * Keys found in the store, so that a correct key pair costs no database read. Only keys that
     * exist are kept: ids a client sprays never evict them.
     */
    private final Cache<String, KeyStore.StoredKey> found;

    public KeyService(KeyStore store, Clock clock, int defaultSendPerSecond, int defaultReadPerSecond,
                      Duration cacheTtl) {
        this.store = store;
        this.clock = clock;
        this.defaultSendPerSecond = defaultSendPerSecond;
        this.defaultReadPerSecond = defaultReadPerSecond;
        this.found = Caffeine.newBuilder().expireAfterWrite(cacheTtl).maximumSize(MAX_CACHED_KEYS).build();
    }

    /** Creates a random key pair for the account, creating the account if needed; null rates mean the defaults. */
    public ApiKey create(String accountName, Integer sendPerSecond, Integer readPerSecond) {
        requireAccountName(accountName);
        requireRate(sendPerSecond);
        requireRate(readPerSecond);
        var key = new ApiKey(Secrets.randomToken(18), Secrets.randomToken(32), accountName);
        store.saveKey(accountName, key.id(), Secrets.sha256Hex(key.secret()), sendPerSecond, readPerSecond,
                clock.instant());
        forget(key.id());
        return key;
    }

    public ApiKey create(String accountName) {
        return create(accountName, null, null);
    }

    /** Makes sure an operator-chosen key pair exists (for automation), with this secret. */
    public void ensure(String accountName, String keyId, String secret) {
        requireAccountName(accountName);
        requireKeyId(keyId);
        if (secret.length() < MIN_CHOSEN_SECRET_LENGTH || secret.length() > MAX_SECRET_LENGTH
                || !secret.equals(secret.strip())) {
            throw new IllegalArgumentException("a key secret has " + MIN_CHOSEN_SECRET_LENGTH + " to "
                    + MAX_SECRET_LENGTH + " characters and no surrounding white space");
        }
        store.saveKey(accountName, keyId, Secrets.sha256Hex(secret), null, null, clock.instant());
        forget(keyId);
    }

    /**
     * The caller of a valid key pair; header values may carry surrounding white space. A correct
     * pair of a key in the cache is served from it. Every refusal reads the store once, whether
     * the id exists or not and whether or not its key is in the cache, and compares two digests,
     * so that the time of a refusal tells nothing of the id.
     */
    public Caller authenticate(String keyId, String secret) {
        if (keyId == null || secret == null || keyId.isBlank() || secret.isBlank()) {
            throw new AuthenticationException("Both X-API-KEY-ID and X-API-KEY-SECRET are required.");
        }
        String id = keyId.strip();
        String plain = secret.strip();
        // An id or a secret of a shape no key has is refused without a read: its shape is public.
        boolean wellFormed = KEY_ID.matcher(id).matches() && plain.length() <= MAX_SECRET_LENGTH;
        byte[] digest = Secrets.sha256(plain);
        KeyStore.StoredKey cached = wellFormed ? found.getIfPresent(id) : null;
        if (accepts(cached, digest)) {
            return caller(cached);
        }
        KeyStore.StoredKey stored = wellFormed ? store.findKey(id).orElse(null) : null;
        if (!accepts(stored, digest)) {
            throw new AuthenticationException("The API key is unknown, revoked, or its secret is wrong.");
        }
        found.put(id, stored);
        return caller(stored);
    }

    /** Whether the key takes the secret of this digest; with no key, a comparison all the same. */
    private static boolean accepts(KeyStore.StoredKey key, byte[] digest) {
        boolean matches = Secrets.matches(digest, key == null ? UNKNOWN_KEY_DIGEST : key.secretSha256());
        return key != null && !key.revoked() && matches;
    }

    private Caller caller(KeyStore.StoredKey key) {
        return new Caller(key.id(), key.account(),
                key.sendPerSecond() == null ? defaultSendPerSecond : key.sendPerSecond(),
                key.readPerSecond() == null ? defaultReadPerSecond : key.readPerSecond());
    }

    /** A key changed in this process applies to its next request. */
    private void forget(String keyId) {
        found.invalidate(keyId);
    }

    /** Revokes a key; running servers refuse it within the cache's time to live. */
    public boolean revoke(String keyId) {
        boolean existed = store.revoke(keyId, clock.instant());
        forget(keyId);
        return existed;
    }

    /** Sets a key's rate for a kind of request; null goes back to the default. */
    public boolean setRate(String keyId, Kind kind, Integer perSecond) {
        requireRate(perSecond);
        boolean existed = store.setRate(keyId, kind, perSecond);
        forget(keyId);
        return existed;
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

    private static void requireKeyId(String keyId) {
        if (keyId == null || !KEY_ID.matcher(keyId).matches()) {
            throw new IllegalArgumentException("a key id has 1 to 64 characters among A-Z a-z 0-9 . _ -");
        }
    }

    private static void requireRate(Integer perSecond) {
        if (perSecond != null && perSecond < 1) {
            throw new IllegalArgumentException("a rate is a whole number of requests per second, at least 1");
        }
    }
}
