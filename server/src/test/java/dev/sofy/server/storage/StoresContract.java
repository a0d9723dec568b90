package dev.sofy.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sofy.server.account.KeyStore.StoredKey;
import dev.sofy.server.config.Config;
import dev.sofy.server.sms.Message;
import dev.sofy.server.sms.Status;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What {@link JdbiSmsStore} and {@link JdbiKeyStore} promise, on any database. A subclass only
 * supplies the configuration of a new, empty database; each test gets its own.
 */
abstract class StoresContract {
    private static final Instant CREATED = Instant.parse("2026-11-24T21:28:13.123456Z");
    private static final Instant UPDATED = Instant.parse("2026-11-24T21:28:14.000001Z");
    private static final String DIGEST_A = "a".repeat(64);
    private static final String DIGEST_B = "b".repeat(64);

    private Database database;
    private JdbiSmsStore smsStore;
    private JdbiKeyStore keyStore;

    /** The configuration of a database that nothing has used yet. */
    protected abstract Config emptyDatabase() throws Exception;

    @BeforeEach
    final void openDatabase() throws Exception {
        database = Database.open(emptyDatabase());
        smsStore = new JdbiSmsStore(database.jdbi());
        keyStore = new JdbiKeyStore(database.jdbi());
    }

    @AfterEach
    final void closeDatabase() {
        if (database != null) {
            database.close();
        }
    }

    @Test
    void findReturnsWhatWasInsertedIncludingInstantsAndAnEmojiBodyOf1600CodePoints() {
        String body = "😀".repeat(1600);
        var message = new Message("8_zyfMv7Q_o7ovXviPUu3", accountId("acme"), "APITEST", "590690112233", body,
                true, false, Status.PENDING, "", CREATED, UPDATED);

        smsStore.insert(message);

        assertEquals(Optional.of(message), smsStore.find(message.accountId(), message.id()));
    }

    @Test
    void findWithAnotherAccountIdReturnsEmpty() {
        Message message = pendingMessage("8_zyfMv7Q_o7ovXviPUu3", accountId("acme"));
        long otherAccountId = accountId("globex");
        smsStore.insert(message);

        assertEquals(Optional.empty(), smsStore.find(otherAccountId, message.id()));
    }

    @Test
    void findWithAnUnknownIdReturnsEmpty() {
        long accountId = accountId("acme");
        smsStore.insert(pendingMessage("8_zyfMv7Q_o7ovXviPUu3", accountId));

        assertEquals(Optional.empty(), smsStore.find(accountId, "unknownIdOf21Chars-xy"));
    }

    @Test
    void insertingAnIdThatExistsFails() {
        long accountId = accountId("acme");
        smsStore.insert(pendingMessage("8_zyfMv7Q_o7ovXviPUu3", accountId));

        assertThrows(UnableToExecuteStatementException.class,
                () -> smsStore.insert(pendingMessage("8_zyfMv7Q_o7ovXviPUu3", accountId)));
    }

    @Test
    void saveKeyCreatesTheAccountAndTheKey() {
        keyStore.saveKey("acme", "key-1", DIGEST_A, CREATED);

        StoredKey stored = keyStore.findKey("key-1").orElseThrow();
        assertEquals("key-1", stored.id());
        assertEquals("acme", stored.account().name());
        assertEquals(DIGEST_A, stored.secretSha256());
    }

    @Test
    void saveKeyOnAnExistingKeyIdReplacesItsDigestAndKeepsItsAccount() {
        keyStore.saveKey("acme", "key-1", DIGEST_A, CREATED);
        StoredKey before = keyStore.findKey("key-1").orElseThrow();

        keyStore.saveKey("globex", "key-1", DIGEST_B, UPDATED);

        assertEquals(new StoredKey("key-1", before.account(), DIGEST_B), keyStore.findKey("key-1").orElseThrow());
    }

    @Test
    void twoKeysForOneAccountNameShareTheAccount() {
        keyStore.saveKey("acme", "key-1", DIGEST_A, CREATED);
        keyStore.saveKey("acme", "key-2", DIGEST_B, UPDATED);

        assertEquals(keyStore.findKey("key-1").orElseThrow().account(), keyStore.findKey("key-2").orElseThrow().account());
    }

    @Test
    void keysForTwoAccountNamesBelongToTwoAccounts() {
        keyStore.saveKey("acme", "key-1", DIGEST_A, CREATED);
        keyStore.saveKey("globex", "key-2", DIGEST_B, UPDATED);

        assertNotEquals(keyStore.findKey("key-1").orElseThrow().account().id(),
                keyStore.findKey("key-2").orElseThrow().account().id());
    }

    @Test
    void findKeyWithAnUnknownIdReturnsEmpty() {
        keyStore.saveKey("acme", "key-1", DIGEST_A, CREATED);

        assertEquals(Optional.empty(), keyStore.findKey("key-2"));
    }

    @Test
    void anEmptyDatabaseHasNoKeys() {
        assertFalse(keyStore.hasKeys());
    }

    @Test
    void aDatabaseHasKeysOnceOneIsSaved() {
        keyStore.saveKey("acme", "key-1", DIGEST_A, CREATED);

        assertTrue(keyStore.hasKeys());
    }

    /** The id of the named account, created through a key since that is the only way accounts come to be. */
    private long accountId(String accountName) {
        String keyId = "key-of-" + accountName;
        keyStore.saveKey(accountName, keyId, DIGEST_A, CREATED);
        return keyStore.findKey(keyId).orElseThrow().account().id();
    }

    private static Message pendingMessage(String id, long accountId) {
        return new Message(id, accountId, "36789", "33612345678", "Hello world", false, true, Status.PENDING, "",
                CREATED, CREATED);
    }
}
