package dev.sofy.server.storage;

import static dev.sofy.server.storage.Rows.utc;

import dev.sofy.server.account.Account;
import dev.sofy.server.account.KeyStore;
import dev.sofy.server.ratelimit.Kind;
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
    public void saveKey(String accountName, String keyId, String secretSha256, Integer sendPerSecond,
                        Integer readPerSecond, Instant now) {
        long accountId = ensureAccount(accountName, now);
        jdbi.useTransaction(handle -> {
            int updated = handle.createUpdate("UPDATE api_key SET secret_sha256 = :digest WHERE id = :id")
                    .bind("digest", secretSha256)
                    .bind("id", keyId)
                    .execute();
            if (updated == 0) {
                handle.createUpdate("""
                                INSERT INTO api_key (id, account_id, secret_sha256, send_rate, read_rate, created_at)
                                VALUES (:id, :accountId, :digest, :sendRate, :readRate, :now)""")
                        .bind("id", keyId)
                        .bind("accountId", accountId)
                        .bind("digest", secretSha256)
                        .bindByType("sendRate", sendPerSecond, Integer.class)
                        .bindByType("readRate", readPerSecond, Integer.class)
                        .bind("now", utc(now))
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
                    .bind("now", utc(now))
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

    /**
     * One row whether the key exists or not, read and mapped alike, so that the time of the read
     * does not tell which: authentication refuses an unknown id and a wrong secret in the same time.
     */
    @Override
    public Optional<StoredKey> findKey(String keyId) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT k.id, k.secret_sha256, k.send_rate, k.read_rate, k.revoked_at, a.id AS account_id, a.name
                        FROM (SELECT CAST(:id AS VARCHAR(64)) AS id) wanted
                        LEFT JOIN api_key k ON k.id = wanted.id
                        LEFT JOIN account a ON a.id = k.account_id""")
                .bind("id", keyId)
                .map((row, context) -> {
                    var key = new StoredKey(
                            row.getString("id"),
                            new Account(row.getLong("account_id"), row.getString("name")),
                            row.getString("secret_sha256"),
                            row.getObject("send_rate", Integer.class),
                            row.getObject("read_rate", Integer.class),
                            row.getObject("revoked_at") != null);
                    return key.id() == null ? Optional.<StoredKey>empty() : Optional.of(key);
                })
                .one());
    }

    @Override
    public boolean revoke(String keyId, Instant now) {
        return jdbi.withHandle(handle -> handle.createUpdate(
                        "UPDATE api_key SET revoked_at = COALESCE(revoked_at, :now) WHERE id = :id")
                .bind("now", utc(now))
                .bind("id", keyId)
                .execute()) > 0;
    }

    @Override
    public boolean setRate(String keyId, Kind kind, Integer perSecond) {
        String column = kind == Kind.SEND ? "send_rate" : "read_rate";
        return jdbi.withHandle(handle -> handle.createUpdate("UPDATE api_key SET " + column + " = :rate WHERE id = :id")
                .bindByType("rate", perSecond, Integer.class)
                .bind("id", keyId)
                .execute()) > 0;
    }

    @Override
    public boolean hasKeys() {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT COUNT(*) FROM api_key")
                .mapTo(Long.class)
                .one()) > 0;
    }
}
