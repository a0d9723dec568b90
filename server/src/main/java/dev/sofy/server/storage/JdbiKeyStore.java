package dev.sofy.server.storage;

import dev.sofy.server.account.Account;
import dev.sofy.server.account.KeyStore;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/** {@link KeyStore} over JDBI. */
public final class JdbiKeyStore implements KeyStore {
    private final Jdbi jdbi;

    public JdbiKeyStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public void saveKey(String accountName, String keyId, String secretSha256, Instant now) {
        long accountId = ensureAccount(accountName, now);
        jdbi.useTransaction(handle -> {
            int updated = handle.createUpdate("UPDATE api_key SET secret_sha256 = :digest WHERE id = :id")
                    .bind("digest", secretSha256)
                    .bind("id", keyId)
                    .execute();
            if (updated == 0) {
                handle.createUpdate("""
                                INSERT INTO api_key (id, account_id, secret_sha256, created_at)
                                VALUES (:id, :accountId, :digest, :now)""")
                        .bind("id", keyId)
                        .bind("accountId", accountId)
                        .bind("digest", secretSha256)
                        .bind("now", JdbiSmsStore.utc(now))
                        .execute();
            }
        });
    }

    /** The account's id, creating it; another process may create it at the same time. */
    private long ensureAccount(String name, Instant now) {
        Optional<Long> existing = jdbi.withHandle(handle -> accountId(handle, name));
        if (existing.isPresent()) {
            return existing.get();
        }
        try {
            jdbi.useHandle(handle -> handle.createUpdate(
                            "INSERT INTO account (name, created_at) VALUES (:name, :now)")
                    .bind("name", name)
                    .bind("now", JdbiSmsStore.utc(now))
                    .execute());
        } catch (UnableToExecuteStatementException raced) {
            // A concurrent insert won the unique name; its row is read below.
        }
        return jdbi.withHandle(handle -> accountId(handle, name)).orElseThrow();
    }

    private static Optional<Long> accountId(Handle handle, String name) {
        return handle.createQuery("SELECT id FROM account WHERE name = :name")
                .bind("name", name)
                .mapTo(Long.class)
                .findOne();
    }

    @Override
    public Optional<StoredKey> findKey(String keyId) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT k.id, k.secret_sha256, a.id AS account_id, a.name
                        FROM api_key k JOIN account a ON a.id = k.account_id
                        WHERE k.id = :id""")
                .bind("id", keyId)
                .map((row, context) -> new StoredKey(
                        row.getString("id"),
                        new Account(row.getLong("account_id"), row.getString("name")),
                        row.getString("secret_sha256")))
                .findOne());
    }

    @Override
    public boolean hasKeys() {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT COUNT(*) FROM api_key")
                .mapTo(Long.class)
                .one()) > 0;
    }
}
