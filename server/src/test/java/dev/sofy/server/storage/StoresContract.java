package dev.sofy.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sofy.server.account.KeyStore.StoredKey;
import dev.sofy.server.config.Config;
import dev.sofy.server.ratelimit.Kind;
import dev.sofy.server.sms.DuplicateIdempotencyKeyException;
import dev.sofy.server.sms.IdempotencyKey;
import dev.sofy.server.sms.Message;
import dev.sofy.server.sms.SmsService;
import dev.sofy.server.sms.SmsStore;
import dev.sofy.server.sms.Status;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
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
    private static final Instant EXPIRES = Instant.parse("2026-11-26T21:28:13.123456Z");
    private static final String DIGEST_A = "a".repeat(64);
    private static final String DIGEST_B = "b".repeat(64);

    private Database database;
    private CommitQueue writes;
    private JdbiSmsStore smsStore;
    private JdbiKeyStore keyStore;

    /** The configuration of a database that nothing has used yet. */
    protected abstract Config emptyDatabase() throws Exception;

    @BeforeEach
    final void openDatabase() throws Exception {
        database = Database.open(emptyDatabase());
        writes = new CommitQueue(database.jdbi(), java.time.Clock.systemUTC());
        smsStore = new JdbiSmsStore(database.jdbi(), writes);
        keyStore = new JdbiKeyStore(database.jdbi());
    }

    @AfterEach
    final void closeDatabase() {
        if (writes != null) {
            writes.close();
        }
        if (database != null) {
            database.close();
        }
    }

    @Test
    void findReturnsWhatWasInsertedIncludingInstantsAndAnEmojiBodyOf1600CodePoints() {
        String body = "😀".repeat(1600);
        var message = new Message("8_zyfMv7Q_o7ovXviPUu3", accountId("acme"), "APITEST", "590690112233", body,
                true, false, Status.PENDING, "", CREATED, UPDATED, 24, "UCS-2", EXPIRES, null, null);

        insert(message, null);

        assertEquals(Optional.of(message), smsStore.find(message.accountId(), message.id()));
    }

    @Test
    void findWithAnotherAccountIdReturnsEmpty() {
        Message message = pendingMessage("8_zyfMv7Q_o7ovXviPUu3", accountId("acme"));
        long otherAccountId = accountId("globex");
        insert(message, null);

        assertEquals(Optional.empty(), smsStore.find(otherAccountId, message.id()));
    }

    @Test
    void findWithAnUnknownIdReturnsEmpty() {
        long accountId = accountId("acme");
        insert(pendingMessage("8_zyfMv7Q_o7ovXviPUu3", accountId), null);

        assertEquals(Optional.empty(), smsStore.find(accountId, "unknownIdOf21Chars-xy"));
    }

    @Test
    void insertingAnIdThatExistsFails() {
        long accountId = accountId("acme");
        insert(pendingMessage("8_zyfMv7Q_o7ovXviPUu3", accountId), null);

        assertThrows(UnableToExecuteStatementException.class,
                () -> insert(pendingMessage("8_zyfMv7Q_o7ovXviPUu3", accountId), null));
    }

    @Test
    void saveKeyCreatesTheAccountAndTheKey() {
        keyStore.saveKey("acme", "key-1", DIGEST_A, null, null, CREATED);

        StoredKey stored = keyStore.findKey("key-1").orElseThrow();
        assertEquals("key-1", stored.id());
        assertEquals("acme", stored.account().name());
        assertEquals(DIGEST_A, stored.secretSha256());
    }

    @Test
    void saveKeyOnAnExistingKeyIdReplacesItsDigestAndKeepsItsAccount() {
        keyStore.saveKey("acme", "key-1", DIGEST_A, null, null, CREATED);
        StoredKey before = keyStore.findKey("key-1").orElseThrow();

        keyStore.saveKey("globex", "key-1", DIGEST_B, null, null, UPDATED);

        assertEquals(new StoredKey("key-1", before.account(), DIGEST_B, null, null, false), keyStore.findKey("key-1").orElseThrow());
    }

    @Test
    void twoKeysForOneAccountNameShareTheAccount() {
        keyStore.saveKey("acme", "key-1", DIGEST_A, null, null, CREATED);
        keyStore.saveKey("acme", "key-2", DIGEST_B, null, null, UPDATED);

        assertEquals(keyStore.findKey("key-1").orElseThrow().account(), keyStore.findKey("key-2").orElseThrow().account());
    }

    @Test
    void keysForTwoAccountNamesBelongToTwoAccounts() {
        keyStore.saveKey("acme", "key-1", DIGEST_A, null, null, CREATED);
        keyStore.saveKey("globex", "key-2", DIGEST_B, null, null, UPDATED);

        assertNotEquals(keyStore.findKey("key-1").orElseThrow().account().id(),
                keyStore.findKey("key-2").orElseThrow().account().id());
    }

    @Test
    void findKeyWithAnUnknownIdReturnsEmpty() {
        keyStore.saveKey("acme", "key-1", DIGEST_A, null, null, CREATED);

        assertEquals(Optional.empty(), keyStore.findKey("key-2"));
    }

    @Test
    void anEmptyDatabaseHasNoKeys() {
        assertFalse(keyStore.hasKeys());
    }

    @Test
    void aDatabaseHasKeysOnceOneIsSaved() {
        keyStore.saveKey("acme", "key-1", DIGEST_A, null, null, CREATED);

        assertTrue(keyStore.hasKeys());
    }

    @Test
    void aKeyKeepsTheRatesItWasSavedWith() {
        keyStore.saveKey("acme", "key-1", DIGEST_A, 5, 7, CREATED);

        StoredKey stored = keyStore.findKey("key-1").orElseThrow();
        assertEquals(5, stored.sendPerSecond());
        assertEquals(7, stored.readPerSecond());
    }

    @Test
    void setRateChangesOneRateAndNullGoesBackToTheDefault() {
        keyStore.saveKey("acme", "key-1", DIGEST_A, 5, 7, CREATED);

        assertTrue(keyStore.setRate("key-1", Kind.SEND, 50));
        assertTrue(keyStore.setRate("key-1", Kind.READ, null));

        StoredKey stored = keyStore.findKey("key-1").orElseThrow();
        assertEquals(50, stored.sendPerSecond());
        assertNull(stored.readPerSecond());
    }

    @Test
    void setRateOfAnUnknownKeySaysSo() {
        assertFalse(keyStore.setRate("key-1", Kind.SEND, 50));
    }

    @Test
    void aRevokedKeyIsStillFoundAndMarkedRevoked() {
        keyStore.saveKey("acme", "key-1", DIGEST_A, null, null, CREATED);

        assertTrue(keyStore.revoke("key-1", UPDATED));

        assertTrue(keyStore.findKey("key-1").orElseThrow().revoked());
    }

    @Test
    void revokingAnUnknownKeySaysSo() {
        assertFalse(keyStore.revoke("key-1", UPDATED));
    }

    @Test
    void anIdempotencyKeyIsStoredWithItsSms() {
        long accountId = accountId("acme");
        Message message = pendingMessage("8_zyfMv7Q_o7ovXviPUu3", accountId);
        var key = new IdempotencyKey("retry-1", DIGEST_A, message.id(), CREATED);

        insert(message, key);

        assertEquals(Optional.of(key), smsStore.findIdempotencyKey(accountId, "retry-1", CREATED.minusSeconds(1)));
    }

    @Test
    void anIdempotencyKeyOlderThanTheWindowIsNotFound() {
        long accountId = accountId("acme");
        Message message = pendingMessage("8_zyfMv7Q_o7ovXviPUu3", accountId);
        insert(message, new IdempotencyKey("retry-1", DIGEST_A, message.id(), CREATED));

        assertEquals(Optional.empty(), smsStore.findIdempotencyKey(accountId, "retry-1", CREATED.plusSeconds(1)));
    }

    @Test
    void idempotencyKeysAreScopedToTheAccount() {
        long acme = accountId("acme");
        long globex = accountId("globex");
        Message message = pendingMessage("8_zyfMv7Q_o7ovXviPUu3", acme);
        insert(message, new IdempotencyKey("retry-1", DIGEST_A, message.id(), CREATED));

        assertEquals(Optional.empty(), smsStore.findIdempotencyKey(globex, "retry-1", CREATED.minusSeconds(1)));
        Message other = pendingMessage("otherIdOf21Chars-xyzw", globex);
        insert(other, new IdempotencyKey("retry-1", DIGEST_B, other.id(), CREATED));
        assertEquals(other.id(), smsStore.findIdempotencyKey(globex, "retry-1", CREATED.minusSeconds(1)).orElseThrow().smsId());
    }

    @Test
    void aLiveIdempotencyKeyCannotBeStoredTwiceAndItsSecondSmsIsNotStored() {
        long accountId = accountId("acme");
        Message first = pendingMessage("8_zyfMv7Q_o7ovXviPUu3", accountId);
        Message second = pendingMessage("otherIdOf21Chars-xyzw", accountId);
        insert(first, new IdempotencyKey("retry-1", DIGEST_A, first.id(), CREATED));

        assertThrows(DuplicateIdempotencyKeyException.class,
                () -> insert(second, new IdempotencyKey("retry-1", DIGEST_A, second.id(), CREATED)));
        assertEquals(Optional.empty(), smsStore.find(accountId, second.id()));
    }

    @Test
    void theIdempotencyKeyOfABatchGivesItsSmsInOrder() {
        long accountId = accountId("acme");
        List<Message> batch = List.of(pendingMessage("batchSms0-21-chars-xx", accountId),
                pendingMessage("batchSms1-21-chars-xx", accountId), pendingMessage("batchSms2-21-chars-xx", accountId));
        List<String> ids = List.of(batch.get(2).id(), batch.get(0).id(), batch.get(1).id());
        var key = new IdempotencyKey("batch-1", DIGEST_A, ids.get(0), CREATED, ids);

        insertBatch(batch, key);

        assertEquals(Optional.of(key), smsStore.findIdempotencyKey(accountId, "batch-1", CREATED.minusSeconds(1)));
    }

    @Test
    void everySmsOfABatchIsStored() {
        long accountId = accountId("acme");
        List<Message> batch = List.of(pendingMessage("batchSms0-21-chars-xx", accountId),
                pendingMessage("batchSms1-21-chars-xx", accountId));

        insertBatch(batch, null);

        assertEquals(batch.size(), smsStore.findAll(accountId, batch.stream().map(Message::id).toList()).size());
    }

    @Test
    void aBatchWhoseKeyIsTakenStoresNoneOfItsSms() {
        long accountId = accountId("acme");
        Message first = pendingMessage("8_zyfMv7Q_o7ovXviPUu3", accountId);
        insert(first, new IdempotencyKey("retry-1", DIGEST_A, first.id(), CREATED));
        List<Message> batch = List.of(pendingMessage("batchSms0-21-chars-xx", accountId),
                pendingMessage("batchSms1-21-chars-xx", accountId));
        List<String> ids = batch.stream().map(Message::id).toList();

        assertThrows(DuplicateIdempotencyKeyException.class,
                () -> insertBatch(batch, new IdempotencyKey("retry-1", DIGEST_B, ids.get(0), CREATED, ids)));
        assertEquals(List.of(), smsStore.findAll(accountId, ids));
    }

    @Test
    void anExpiredIdempotencyKeyCanBeUsedAgain() {
        long accountId = accountId("acme");
        Message first = pendingMessage("8_zyfMv7Q_o7ovXviPUu3", accountId);
        Message second = pendingMessage("otherIdOf21Chars-xyzw", accountId);
        insert(first, new IdempotencyKey("retry-1", DIGEST_A, first.id(), CREATED));
        Instant dayLater = CREATED.plus(SmsService.IDEMPOTENCY_WINDOW).plusSeconds(1);

        insert(second, new IdempotencyKey("retry-1", DIGEST_B, second.id(), dayLater));

        assertEquals(second.id(), smsStore.findIdempotencyKey(accountId, "retry-1", CREATED).orElseThrow().smsId());
    }

    @Test
    void deletingIdempotencyKeysBeforeACutoffKeepsTheNewerOnes() {
        long accountId = accountId("acme");
        Message first = pendingMessage("8_zyfMv7Q_o7ovXviPUu3", accountId);
        Message second = pendingMessage("otherIdOf21Chars-xyzw", accountId);
        insert(first, new IdempotencyKey("old", DIGEST_A, first.id(), CREATED));
        insert(second, new IdempotencyKey("new", DIGEST_A, second.id(), UPDATED));

        assertEquals(1, smsStore.deleteIdempotencyKeysBefore(UPDATED));

        assertEquals(Optional.empty(), smsStore.findIdempotencyKey(accountId, "old", CREATED.minusSeconds(1)));
        assertTrue(smsStore.findIdempotencyKey(accountId, "new", CREATED.minusSeconds(1)).isPresent());
    }

    @Test
    void expiredIdempotencyKeysAllGoEvenSeveralTransactionsWorth() {
        idempotencyKeysCreated(CREATED, 2 * JdbiSmsStore.DELETED_KEYS_A_TRANSACTION + 1);

        assertEquals(2 * JdbiSmsStore.DELETED_KEYS_A_TRANSACTION + 1, smsStore.deleteIdempotencyKeysBefore(UPDATED));

        assertEquals(0, idempotencyKeys());
    }

    @Test
    void oneTransactionDeletesNoMoreThanItsShareOfTheExpiredIdempotencyKeys() {
        idempotencyKeysCreated(CREATED, JdbiSmsStore.DELETED_KEYS_A_TRANSACTION + 7);

        smsStore.deleteOldestIdempotencyKeys(UPDATED);

        assertEquals(7, idempotencyKeys());
    }

    @Test
    void concurrentInsertsAreAllCommittedAndFoundAgain() throws InterruptedException {
        long accountId = accountId("acme");
        int writers = 16;
        int each = 50;
        var threads = new java.util.ArrayList<Thread>();
        var failures = new java.util.concurrent.atomic.AtomicInteger();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            var thread = new Thread(() -> {
                for (int i = 0; i < each; i++) {
                    try {
                        insert(pendingMessage(String.format("writer%02d-message%05d", writer, i), accountId), null);
                    } catch (RuntimeException e) {
                        failures.incrementAndGet();
                    }
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertEquals(0, failures.get());
        for (int w = 0; w < writers; w++) {
            for (int i = 0; i < each; i++) {
                assertTrue(smsStore.find(accountId, String.format("writer%02d-message%05d", w, i)).isPresent());
            }
        }
    }

    /** Idempotency keys of one SMS of account acme, written straight into their table. */
    private void idempotencyKeysCreated(Instant at, int count) {
        long accountId = accountId("acme");
        Message message = pendingMessage("8_zyfMv7Q_o7ovXviPUu3", accountId);
        insert(message, null);
        database.jdbi().useHandle(handle -> {
            var batch = handle.prepareBatch("""
                    INSERT INTO idempotency_key (account_id, idempotency_key, request_sha256, sms_id, created_at)
                    VALUES (:accountId, :key, :digest, :smsId, :at)""");
            for (int i = 0; i < count; i++) {
                batch.bind("accountId", accountId).bind("key", "retry-" + i).bind("digest", DIGEST_A)
                        .bind("smsId", message.id()).bind("at", Rows.utc(at)).add();
            }
            batch.execute();
        });
    }

    private long idempotencyKeys() {
        return database.jdbi().withHandle(handle -> handle.createQuery("SELECT COUNT(*) FROM idempotency_key")
                .mapTo(Long.class).one());
    }

    /** Inserts and waits for the commit; a failure is thrown as it is, not wrapped. */
    private void insertBatch(List<Message> messages, IdempotencyKey key) {
        try {
            smsStore.insertBatch(messages.stream().map(message -> new SmsStore.NewMessage(message, List.of())).toList(),
                    key).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    private void insert(Message message, IdempotencyKey key) {
        try {
            smsStore.insert(message, List.of(), key).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** The id of the named account, created through a key since that is the only way accounts come to be. */
    private long accountId(String accountName) {
        String keyId = "key-of-" + accountName;
        keyStore.saveKey(accountName, keyId, DIGEST_A, null, null, CREATED);
        return keyStore.findKey(keyId).orElseThrow().account().id();
    }

    private static Message pendingMessage(String id, long accountId) {
        return new Message(id, accountId, "36789", "33612345678", "Hello world", false, true, Status.PENDING, "",
                CREATED, CREATED, 1, "GSM-7", EXPIRES, null, null);
    }
}
