package dev.sofy.server.storage;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The status changes ({@code sms_status_change}) as a log that the webhook sender reads after the
 * fact, in id order from a cursor. The reader must never pass an id whose transaction is still
 * open: a status change committed after the cursor went past its id would never become an event.
 * On H2 one writer appends every status change, one transaction after another, so every id up to
 * the largest committed one is committed too. On PostgreSQL each node has a writer of its own: a
 * transaction that appends holds an advisory lock in shared mode, and the reader takes that lock
 * exclusively to read the largest id, which waits for those transactions to end.
 */
final class StatusChangeLog {
    /** The advisory lock's key: a number of our own, the same on every node. */
    private static final long APPENDING = 0x5_0F75_7A7CL;

    private StatusChangeLog() {}

    /** Called in the appending transaction, before its first status change. */
    static void beforeAppending(Handle handle) {
        if (Database.isPostgres(handle)) {
            handle.execute("SELECT pg_advisory_xact_lock_shared(?)", APPENDING);
        }
    }

    /** The id up to which every status change is committed; 0 when there is none. */
    static long committedUpTo(Jdbi jdbi) {
        return jdbi.inTransaction(handle -> {
            if (Database.isPostgres(handle)) {
                handle.execute("SELECT pg_advisory_xact_lock(?)", APPENDING);
            }
            return handle.createQuery("SELECT COALESCE(MAX(id), 0) FROM sms_status_change").mapTo(Long.class).one();
        });
    }
}
