package dev.sofy.server.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sofy.server.config.Config;
import dev.sofy.server.storage.Database;
import dev.sofy.server.storage.JdbiKeyStore;
import dev.sofy.server.ratelimit.Kind;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KeyServiceTest {
    private Database database;
    private KeyService keys;

    @BeforeEach
    void openAnEmptyDatabase() {
        database = Database.open(Config.from(Map.of(
                "SOFY_DB_URL", "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1")));
        keys = new KeyService(new JdbiKeyStore(database.jdbi()), Clock.systemUTC(), 100, 50, Duration.ofMinutes(1));
    }

    @AfterEach
    void closeTheDatabase() {
        database.close();
    }

    @Test
    void aCreatedKeyAuthenticatesAsItsAccount() {
        ApiKey key = keys.create("acme");
        assertEquals("acme", keys.authenticate(key.id(), key.secret()).account().name());
    }

    @Test
    void whiteSpaceAroundHeaderValuesIsIgnored() {
        ApiKey key = keys.create("acme");
        assertEquals("acme", keys.authenticate(" " + key.id(), key.secret() + " ").account().name());
    }

    @Test
    void aWrongSecretIsRefused() {
        ApiKey key = keys.create("acme");
        assertThrows(AuthenticationException.class, () -> keys.authenticate(key.id(), key.secret() + "x"));
    }

    @Test
    void anUnknownKeyIsRefused() {
        assertThrows(AuthenticationException.class, () -> keys.authenticate("nope", "whatever-secret"));
    }

    @Test
    void aMissingHeaderIsRefused() {
        ApiKey key = keys.create("acme");
        assertThrows(AuthenticationException.class, () -> keys.authenticate(key.id(), null));
        assertThrows(AuthenticationException.class, () -> keys.authenticate(null, key.secret()));
        assertThrows(AuthenticationException.class, () -> keys.authenticate("", ""));
    }

    @Test
    void onlyTheDigestOfTheSecretIsStored() {
        ApiKey key = keys.create("acme");
        List<String> row = database.jdbi().withHandle(handle -> handle
                .createQuery("SELECT id, secret_sha256 FROM api_key WHERE id = :id")
                .bind("id", key.id())
                .map((rs, ctx) -> List.of(rs.getString(1), rs.getString(2)))
                .one());
        assertFalse(row.get(1).contains(key.secret()));
        assertEquals(Secrets.sha256Hex(key.secret()), row.get(1));
    }

    @Test
    void twoKeysOfOneAccountSeeTheSameAccount() {
        ApiKey first = keys.create("acme");
        ApiKey second = keys.create("acme");
        assertNotEquals(first.id(), second.id());
        assertEquals(keys.authenticate(first.id(), first.secret()).account(),
                keys.authenticate(second.id(), second.secret()).account());
    }

    @Test
    void ensuringABootstrapKeyTwiceKeepsOneKeyWithTheLatestSecret() {
        keys.ensure("default", "ci", "first-secret-of-ci-0123456789-abcdef");
        keys.ensure("default", "ci", "second-secret-of-ci-0123456789-abcdef");
        assertThrows(AuthenticationException.class,
                () -> keys.authenticate("ci", "first-secret-of-ci-0123456789-abcdef"));
        assertEquals("default", keys.authenticate("ci", "second-secret-of-ci-0123456789-abcdef").account().name());
    }

    @Test
    void aBootstrapSecretOf31CharactersIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> keys.ensure("default", "ci", "x".repeat(31)));
    }

    @Test
    void aBootstrapSecretOf32CharactersIsTaken() {
        keys.ensure("default", "ci", "x".repeat(32));
        assertEquals("default", keys.authenticate("ci", "x".repeat(32)).account().name());
    }

    @Test
    void anAccountNameWithSpacesIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> keys.create("my account"));
    }

    @Test
    void aKeyWithoutRatesHasTheDefaultLimits() {
        ApiKey key = keys.create("acme");
        Caller caller = keys.authenticate(key.id(), key.secret());
        assertEquals(100, caller.limit(Kind.SEND));
        assertEquals(50, caller.limit(Kind.READ));
    }

    @Test
    void aKeyCreatedWithRatesHasThem() {
        ApiKey key = keys.create("acme", 7, 9);
        Caller caller = keys.authenticate(key.id(), key.secret());
        assertEquals(7, caller.limit(Kind.SEND));
        assertEquals(9, caller.limit(Kind.READ));
    }

    @Test
    void aChangedRateAppliesToTheNextRequest() {
        ApiKey key = keys.create("acme", 7, 9);
        keys.authenticate(key.id(), key.secret());
        keys.setRate(key.id(), Kind.SEND, 3);
        keys.setRate(key.id(), Kind.READ, null);
        Caller caller = keys.authenticate(key.id(), key.secret());
        assertEquals(3, caller.limit(Kind.SEND));
        assertEquals(50, caller.limit(Kind.READ));
    }

    @Test
    void aRevokedKeyIsRefused() {
        ApiKey key = keys.create("acme");
        keys.authenticate(key.id(), key.secret());
        assertTrue(keys.revoke(key.id()));
        assertThrows(AuthenticationException.class, () -> keys.authenticate(key.id(), key.secret()));
    }

    @Test
    void aKeyRevokedByAnotherProcessIsRefusedOnceTheCacheExpires() throws InterruptedException {
        var shortLived = new KeyService(new JdbiKeyStore(database.jdbi()), Clock.systemUTC(), 100, 50,
                Duration.ofMillis(200));
        ApiKey key = keys.create("acme");
        shortLived.authenticate(key.id(), key.secret());
        keys.revoke(key.id());
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        boolean refused = false;
        while (!refused && System.nanoTime() < deadline) {
            try {
                shortLived.authenticate(key.id(), key.secret());
                Thread.sleep(20);
            } catch (AuthenticationException expected) {
                refused = true;
            }
        }
        assertTrue(refused, "the revoked key was still accepted after 5 s");
    }

    @Test
    void aKeyCreatedByAnotherProcessWorksAtOnceEvenIfItsIdWasTriedBefore() {
        assertThrows(AuthenticationException.class, () -> keys.authenticate("probed", "some-secret"));
        var otherProcess = new KeyService(new JdbiKeyStore(database.jdbi()), Clock.systemUTC(), 100, 50,
                Duration.ofMinutes(1));
        otherProcess.ensure("default", "probed", "a-chosen-secret-of-at-least-32-characters");

        assertEquals("default",
                keys.authenticate("probed", "a-chosen-secret-of-at-least-32-characters").account().name());
    }

    @Test
    void aRefusalOfAnUnknownIdReadsTheStoreOnce() {
        var reads = new CountingKeyStore(new JdbiKeyStore(database.jdbi()));
        var counted = new KeyService(reads, Clock.systemUTC(), 100, 50, Duration.ofMinutes(1));
        for (int i = 0; i < 3; i++) {
            assertThrows(AuthenticationException.class, () -> counted.authenticate("unknown", "some-secret"));
        }
        assertEquals(3, reads.finds);
    }

    @Test
    void aRefusalOfAKnownIdInTheCacheReadsTheStoreOnceAsAnUnknownIdDoes() {
        ApiKey key = keys.create("acme");
        var reads = new CountingKeyStore(new JdbiKeyStore(database.jdbi()));
        var counted = new KeyService(reads, Clock.systemUTC(), 100, 50, Duration.ofMinutes(1));
        counted.authenticate(key.id(), key.secret());
        for (int i = 0; i < 3; i++) {
            assertThrows(AuthenticationException.class, () -> counted.authenticate(key.id(), "a-wrong-secret"));
        }
        assertEquals(1 + 3, reads.finds);
    }

    @Test
    void aCorrectKeyPairInTheCacheIsServedWithoutReadingTheStore() {
        ApiKey key = keys.create("acme");
        var reads = new CountingKeyStore(new JdbiKeyStore(database.jdbi()));
        var counted = new KeyService(reads, Clock.systemUTC(), 100, 50, Duration.ofMinutes(1));
        for (int i = 0; i < 3; i++) {
            counted.authenticate(key.id(), key.secret());
        }
        assertEquals(1, reads.finds);
    }

    /** The store of the test's database, counting its reads of a key. */
    private static final class CountingKeyStore implements KeyStore {
        private final KeyStore store;
        private int finds;

        CountingKeyStore(KeyStore store) {
            this.store = store;
        }

        @Override
        public void saveKey(String accountName, String keyId, String secretSha256, Integer sendPerSecond,
                            Integer readPerSecond, Instant now) {
            store.saveKey(accountName, keyId, secretSha256, sendPerSecond, readPerSecond, now);
        }

        @Override
        public Optional<StoredKey> findKey(String keyId) {
            finds++;
            return store.findKey(keyId);
        }

        @Override
        public boolean hasKeys() {
            return store.hasKeys();
        }

        @Override
        public boolean revoke(String keyId, Instant now) {
            return store.revoke(keyId, now);
        }

        @Override
        public boolean setRate(String keyId, Kind kind, Integer perSecond) {
            return store.setRate(keyId, kind, perSecond);
        }
    }

    @Test
    void aKeyEnsuredInThisProcessWorksAtOnceEvenIfItsIdWasTriedBefore() {
        assertThrows(AuthenticationException.class, () -> keys.authenticate("ci", "some-secret"));

        keys.ensure("default", "ci", "a-chosen-secret-of-at-least-32-characters");

        assertEquals("default", keys.authenticate("ci", "a-chosen-secret-of-at-least-32-characters").account().name());
    }

    @Test
    void aZeroRateIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> keys.create("acme", 0, null));
    }

    @Test
    void anEmptyDatabaseHasNoKeysUntilOneIsCreated() {
        assertFalse(keys.hasKeys());
        keys.create("acme");
        assertTrue(keys.hasKeys());
    }
}
