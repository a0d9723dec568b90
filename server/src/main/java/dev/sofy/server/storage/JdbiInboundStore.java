package dev.sofy.server.storage;

import static dev.sofy.server.storage.Rows.instant;
import static dev.sofy.server.storage.Rows.utc;

import dev.sofy.server.inbound.InboundSms;
import dev.sofy.server.inbound.InboundStore;
import dev.sofy.server.webhooks.EventType;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * {@link InboundStore} over JDBI. Inbound SMS are few next to the SMS sent: they are written
 * straight, in a transaction of their own, rather than through the commit queue.
 */
public final class JdbiInboundStore implements InboundStore {
    /** The columns {@link #inbound} reads. */
    static final String COLUMNS = "id, account_id, sender, recipient, body, received_at";

    private final Jdbi jdbi;

    public JdbiInboundStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public List<InboundSms> receive(Received message, Instant reachSince, Instant duplicateSince, Supplier<String> ids) {
        return jdbi.inTransaction(handle -> {
            List<Long> accounts = handle.createQuery(Rows.ACCOUNTS_THAT_SENT_TO)
                    .bind("number", message.from())
                    .bind("since", utc(reachSince))
                    .mapTo(Long.class)
                    .list();
            List<InboundSms> stored = new ArrayList<>();
            for (long accountId : accounts.stream().sorted().toList()) {
                boolean duplicate = handle.createQuery("""
                                SELECT COUNT(*) FROM inbound_sms
                                WHERE account_id = :accountId AND sender = :sender AND received_at >= :since
                                  AND recipient = :recipient AND body = :body""")
                        .bind("accountId", accountId)
                        .bind("sender", message.from())
                        .bind("since", utc(duplicateSince))
                        .bind("recipient", message.to())
                        .bind("body", message.text())
                        .mapTo(Long.class).one() > 0;
                if (duplicate) {
                    continue;
                }
                var inbound = new InboundSms(ids.get(), accountId, message.from(), message.to(), message.text(),
                        message.receivedAt());
                handle.createUpdate("INSERT INTO inbound_sms (" + COLUMNS + ") "
                                + "VALUES (:id, :accountId, :sender, :recipient, :body, :receivedAt)")
                        .bind("id", inbound.id())
                        .bind("accountId", accountId)
                        .bind("sender", inbound.from())
                        .bind("recipient", inbound.to())
                        .bind("body", inbound.text())
                        .bind("receivedAt", utc(inbound.receivedAt()))
                        .execute();
                stored.add(inbound);
            }
            if (!stored.isEmpty()) {
                // The durable outbox: the events are committed with what they tell, in id order.
                handle.createUpdate("""
                                INSERT INTO webhook_delivery (endpoint_id, event_type, inbound_sms_id, occurred_at,
                                                              next_attempt_at)
                                SELECT e.id, :type, i.id, i.received_at, i.received_at
                                FROM inbound_sms i JOIN webhook_endpoint e ON e.account_id = i.account_id
                                WHERE i.id IN (<ids>) AND e.disabled_at IS NULL AND e.events LIKE :subscribed
                                  AND e.created_at <= i.received_at
                                ORDER BY i.id, e.id""")
                        .bind("type", EventType.SMS_RECEIVED.wireName())
                        .bind("subscribed", "%" + EventType.SMS_RECEIVED.wireName() + "%")
                        .bindList("ids", stored.stream().map(InboundSms::id).toList())
                        .execute();
            }
            return stored;
        });
    }

    @Override
    public Optional<InboundSms> find(long accountId, String id) {
        return jdbi.withHandle(handle -> handle.createQuery(
                        "SELECT " + COLUMNS + " FROM inbound_sms WHERE id = :id AND account_id = :accountId")
                .bind("id", id)
                .bind("accountId", accountId)
                .map(JdbiInboundStore::inbound)
                .findOne());
    }

    @Override
    public List<InboundSms> list(long accountId, int limit, Position after, String from, String to,
                                 Instant receivedFrom, Instant receivedTo) {
        // Only fixed fragments go into the SQL; every value is bound.
        var sql = new StringBuilder("SELECT " + COLUMNS + " FROM inbound_sms WHERE account_id = :accountId");
        if (from != null) {
            sql.append(" AND sender = :from");
        }
        if (to != null) {
            sql.append(" AND recipient = :to");
        }
        if (receivedFrom != null) {
            sql.append(" AND received_at >= :receivedFrom");
        }
        if (receivedTo != null) {
            sql.append(" AND received_at < :receivedTo");
        }
        if (after != null) {
            sql.append(" AND (received_at < :afterReceivedAt OR (received_at = :afterReceivedAt AND id < :afterId))");
        }
        sql.append(" ORDER BY received_at DESC, id DESC LIMIT :limit");
        return jdbi.withHandle(handle -> {
            var query = handle.createQuery(sql.toString()).bind("accountId", accountId).bind("limit", limit);
            if (from != null) {
                query.bind("from", from);
            }
            if (to != null) {
                query.bind("to", to);
            }
            if (receivedFrom != null) {
                query.bind("receivedFrom", utc(receivedFrom));
            }
            if (receivedTo != null) {
                query.bind("receivedTo", utc(receivedTo));
            }
            if (after != null) {
                query.bind("afterReceivedAt", utc(after.receivedAt())).bind("afterId", after.id());
            }
            return query.map(JdbiInboundStore::inbound).list();
        });
    }

    /** The inbound SMS of a row read with {@link #COLUMNS}; webhook events read it too. */
    static InboundSms inbound(ResultSet row, StatementContext context) throws SQLException {
        return new InboundSms(row.getString("id"), row.getLong("account_id"), row.getString("sender"),
                row.getString("recipient"), row.getString("body"), instant(row, "received_at"));
    }
}
