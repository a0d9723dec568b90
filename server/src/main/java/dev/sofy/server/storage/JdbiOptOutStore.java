package dev.sofy.server.storage;

import static dev.sofy.server.storage.Rows.instant;
import static dev.sofy.server.storage.Rows.utc;

import dev.sofy.server.marketing.OptOut;
import dev.sofy.server.marketing.OptOutStore;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/** {@link OptOutStore} over JDBI. */
public final class JdbiOptOutStore implements OptOutStore {
    private final Jdbi jdbi;

    public JdbiOptOutStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public OptOut add(long accountId, String number, OptOut.Source source, Instant at) {
        try {
            jdbi.useHandle(handle -> handle.createUpdate("""
                            INSERT INTO opt_out (account_id, number, source, created_at)
                            SELECT :accountId, :number, :source, :at FROM account
                            WHERE id = :accountId
                              AND NOT EXISTS (SELECT 1 FROM opt_out WHERE account_id = :accountId AND number = :number)""")
                    .bind("accountId", accountId)
                    .bind("number", number)
                    .bind("source", source.wireName())
                    .bind("at", utc(at))
                    .execute());
        } catch (UnableToExecuteStatementException raced) {
            // Added at the same moment by another request: it is there, which is what was asked.
        }
        return jdbi.withHandle(handle -> find(handle, accountId, number));
    }

    private static OptOut find(Handle handle, long accountId, String number) {
        return handle.createQuery("""
                        SELECT account_id, number, source, created_at FROM opt_out
                        WHERE account_id = :accountId AND number = :number""")
                .bind("accountId", accountId)
                .bind("number", number)
                .map((row, context) -> new OptOut(row.getLong("account_id"), row.getString("number"),
                        OptOut.Source.fromWireName(row.getString("source")), instant(row, "created_at")))
                .one();
    }

    @Override
    public boolean remove(long accountId, String number) {
        return jdbi.withHandle(handle -> handle.createUpdate(
                        "DELETE FROM opt_out WHERE account_id = :accountId AND number = :number")
                .bind("accountId", accountId)
                .bind("number", number)
                .execute()) > 0;
    }

    @Override
    public List<OptOut> list(long accountId, int limit, String afterNumber) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT account_id, number, source, created_at FROM opt_out
                        WHERE account_id = :accountId AND number > :after
                        ORDER BY number
                        LIMIT :limit""")
                .bind("accountId", accountId)
                .bind("after", afterNumber == null ? "" : afterNumber)
                .bind("limit", limit)
                .map((row, context) -> new OptOut(row.getLong("account_id"), row.getString("number"),
                        OptOut.Source.fromWireName(row.getString("source")), instant(row, "created_at")))
                .list());
    }

    @Override
    public int addForAccountsThatSentTo(String number, Instant since, OptOut.Source source, Instant at) {
        // The same rule as inbound SMS, with this service's reach.
        String sql = """
                INSERT INTO opt_out (account_id, number, source, created_at)
                SELECT s.account_id, :number, :source, :at FROM (%s) s
                WHERE NOT EXISTS (SELECT 1 FROM opt_out o WHERE o.account_id = s.account_id AND o.number = :number)"""
                .formatted(Rows.ACCOUNTS_THAT_SENT_TO);
        return jdbi.withHandle(handle -> handle.createUpdate(sql)
                .bind("number", number)
                .bind("source", source.wireName())
                .bind("at", utc(at))
                .bind("since", utc(since))
                .execute());
    }
}
