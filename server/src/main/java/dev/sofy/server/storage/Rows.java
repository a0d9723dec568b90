package dev.sofy.server.storage;

import dev.sofy.server.sms.Message;
import dev.sofy.server.sms.Status;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * How the stores write values into rows and read them back: instants as timestamps with a time
 * zone, always UTC, and an SMS from the columns of {@code sms}.
 */
final class Rows {
    /** The columns {@link #message} reads. */
    static final String SMS_COLUMNS = """
            id, account_id, sender, recipient, body, shorten_urls, is_transactional, status, status_reason,
            created_at, updated_at, segments, encoding, expires_at, sent_text, held_until, carrier, send_at""";

    /**
     * The accounts that sent an SMS to {@code :number} since {@code :since}: whom a reply from that
     * number concerns (STOP replies, inbound SMS). The sms_recipient index serves it.
     */
    static final String ACCOUNTS_THAT_SENT_TO =
            "SELECT DISTINCT account_id FROM sms WHERE recipient = :number AND created_at >= :since";

    private Rows() {}

    static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    static Instant instant(ResultSet row, String column) throws SQLException {
        return row.getObject(column, OffsetDateTime.class).toInstant();
    }

    /** The SMS of a row read with {@link #SMS_COLUMNS}. */
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
                instant(row, "updated_at"),
                row.getInt("segments"),
                row.getString("encoding"),
                row.getObject("expires_at") == null ? null : instant(row, "expires_at"),
                row.getString("sent_text"),
                row.getObject("held_until") == null ? null : instant(row, "held_until"),
                row.getString("carrier"),
                row.getObject("send_at") == null ? null : instant(row, "send_at"));
    }
}
