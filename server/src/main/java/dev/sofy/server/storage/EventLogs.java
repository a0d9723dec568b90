package dev.sofy.server.storage;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The status changes ({@code sms_status_change}) and the clicks ({@code sms_click}) as logs that
 * the webhook sender reads after the fact, each in id order from a cursor. The reader must never
 * pass an id whose transaction is still open: a row committed after the cursor went past its id
 * would never become an event. On H2 one writer appends every status change and click, one
 * transaction after another, so every id up to the largest committed one is committed too. On
 * PostgreSQL each node has a writer of its own: a transaction that appends holds an advisory lock
 * in shared mode, and the reader takes that lock exclusively to read the largest ids, which waits
 * for those transactions to end.
 */
final class EventLogs {
    /** The advisory lock's key: a number of our own, the same on every node. */
    private static final long APPENDING = 0x5_0F75_7A7CL;

    /** The ids up to which every status change and every click is committed; 0 when there is none. */
    record Committed(long statusChanges, long clicks) {}

    private EventLogs() {}

    /** Called in the appending transaction, before its first status change or click. */
    static void beforeAppending(Handle handle) {
        if (Database.isPostgres(handle)) {
            handle.execute("SELECT pg_advisory_xact_lock_shared(?)", APPENDING);
        }
    }

    /** What is committed of both logs, read in one statement. */
    static Committed committedUpTo(Jdbi jdbi) {
        return jdbi.inTransaction(handle -> {
            if (Database.isPostgres(handle)) {
                handle.execute("SELECT pg_advisory_xact_lock(?)", APPENDING);
            }
            return handle.createQuery("""
                            SELECT (SELECT COALESCE(MAX(id), 0) FROM sms_status_change) AS status_changes,
                                   (SELECT COALESCE(MAX(id), 0) FROM sms_click) AS clicks""")
                    .map((row, context) -> new Committed(row.getLong("status_changes"), row.getLong("clicks")))
                    .one();
        });
    }
}
