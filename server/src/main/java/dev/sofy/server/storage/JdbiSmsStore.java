package dev.sofy.server.storage;

import dev.sofy.server.sms.Message;
import dev.sofy.server.sms.SmsStore;
import dev.sofy.server.sms.Status;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

/** {@link SmsStore} over JDBI; the same SQL runs on H2 and PostgreSQL. */
public final class JdbiSmsStore implements SmsStore {
    private final Jdbi jdbi;

    public JdbiSmsStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public void insert(Message message) {
        jdbi.useHandle(handle -> handle.createUpdate("""
                        INSERT INTO sms (id, account_id, sender, recipient, body, shorten_urls, is_transactional,
                                         status, status_reason, created_at, updated_at)
                        VALUES (:id, :accountId, :from, :to, :body, :shortenUrls, :transactional,
                                :status, :statusReason, :createdAt, :updatedAt)""")
                .bind("id", message.id())
                .bind("accountId", message.accountId())
                .bind("from", message.from())
                .bind("to", message.to())
                .bind("body", message.body())
                .bind("shortenUrls", message.shortenUrls())
                .bind("transactional", message.transactional())
                .bind("status", message.status().wireName())
                .bind("statusReason", message.statusReason())
                .bind("createdAt", utc(message.createdAt()))
                .bind("updatedAt", utc(message.updatedAt()))
                .execute());
    }

    @Override
    public Optional<Message> find(long accountId, String id) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT id, account_id, sender, recipient, body, shorten_urls, is_transactional,
                               status, status_reason, created_at, updated_at
                        FROM sms WHERE id = :id AND account_id = :accountId""")
                .bind("id", id)
                .bind("accountId", accountId)
                .map(JdbiSmsStore::message)
                .findOne());
    }

    static Message message(ResultSet row, StatementContext context) throws SQLException {
        return new Message(
                row.getString("id"),
                row.getLong("account_id"),
                row.getString("sender"),
                row.getString("recipient"),
                row.getString("body"),
                row.getBoolean("shorten_urls"),
                row.getBoolean("is_transactional"),
                Status.fromWireName(row.getString("status")),
                row.getString("status_reason"),
                instant(row, "created_at"),
                instant(row, "updated_at"));
    }

    static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    static Instant instant(ResultSet row, String column) throws SQLException {
        return row.getObject(column, OffsetDateTime.class).toInstant();
    }
}
