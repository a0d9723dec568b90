package dev.sofy.server.storage;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.function.IntSupplier;
import javax.sql.DataSource;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an embedded H2 file near the size of its data. With {@code WRITE_DELAY=0} every commit
 * writes a chunk of its own, and the next commits replace most of its pages; a chunk's space is
 * reused only once none of its pages is live. H2's background thread, which rewrites the few live
 * pages of such chunks, runs only with a write delay, and no SQL statement does it while the
 * database is open: without this, under a steady load with dispatching on, the file grew by about
 * 9 KB an SMS and never levelled off. Each run rewrites a bounded amount through H2's own
 * {@link MVStore#compact}: little while the writer is busy, since commits wait for it, more once
 * it has been calm a while.
 */
public final class H2Compaction implements Runnable {
    /** Chunks are rewritten while live pages fill less than this share of them (H2's own default). */
    static final int TARGET_FILL_PERCENT = 90;
    /** What one run rewrites at most while the writer is busy: a few milliseconds of commits held up. */
    static final int REWRITE_BYTES_WHEN_BUSY = 256 * 1024;
    /** What one run rewrites at most once the writer has been calm for a while. */
    static final int REWRITE_BYTES_WHEN_CALM = 1024 * 1024;
    /** Writes queued for the writer from which it counts as busy. */
    static final int BUSY_FROM = 32;
    /** Runs in a row that must find the writer calm before a run rewrites more. */
    static final int CALM_RUNS = 10;
    private static final Logger LOG = LoggerFactory.getLogger(H2Compaction.class);

    private final MVStore store;
    private final IntSupplier writerBacklog;
    private int calmRuns;

    private H2Compaction(MVStore store, IntSupplier writerBacklog) {
        this.store = store;
        this.writerBacklog = writerBacklog;
    }

    /**
     * The compaction of the database behind {@code dataSource} when it is an H2 file that this
     * process opened, and not one reached through another process's auto-server, H2 in memory or
     * PostgreSQL. {@code writerBacklog} tells how many writes wait for the writer.
     */
    public static Optional<H2Compaction> of(DataSource dataSource, IntSupplier writerBacklog) {
        try (Connection connection = dataSource.getConnection()) {
            if (!connection.isWrapperFor(JdbcConnection.class)
                    || !(connection.unwrap(JdbcConnection.class).getSession() instanceof SessionLocal session)
                    || !session.getDatabase().isPersistent()) {
                return Optional.empty();
            }
            return Optional.of(new H2Compaction(session.getDatabase().getStore().getMvStore(), writerBacklog));
        } catch (SQLException e) {
            throw new IllegalStateException("Could not reach the database", e);
        }
    }

    /** Rewrites some of the live pages of the emptiest chunks; they reach the file with the next commit. */
    @Override
    public void run() {
        int budget = budget(writerBacklog.getAsInt());
        if (store.isClosed()) {
            return;
        }
        try {
            store.compact(TARGET_FILL_PERCENT, budget);
        } catch (RuntimeException e) {
            if (!store.isClosed()) {
                LOG.warn("Could not compact the database file; will try again", e);
            }
        }
    }

    /** What this run may rewrite, given the writes waiting for the writer now. */
    int budget(int backlog) {
        calmRuns = backlog >= BUSY_FROM ? 0 : calmRuns + 1;
        return calmRuns >= CALM_RUNS ? REWRITE_BYTES_WHEN_CALM : REWRITE_BYTES_WHEN_BUSY;
    }

    /** The size of the file. */
    long fileBytes() {
        return store.getFileStore().size();
    }
}
