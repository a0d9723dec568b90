package dev.sofy.server.storage;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Slows the growth of an embedded H2 file. With {@code WRITE_DELAY=0} every commit writes a
 * chunk of its own, and the next commits replace most of its pages. H2 reuses a chunk's space only
 * once none of its pages is live and its retention time has passed since it was written.
 * <ul>
 *   <li>H2's background thread, which rewrites the live pages of such chunks, runs only with a
 *       write delay, and no SQL statement does it while the database is open. {@link #run} has H2
 *       rewrite a bounded amount through its own {@link MVStore#compact}, small because commits
 *       wait for H2's store lock meanwhile.</li>
 *   <li>H2's default retention is 45 s, long enough for the operating system to have written a
 *       chunk out before its space is reused; under a load the file then holds 45 s of dead
 *       chunks. {@link #sync} forces the file to disk, every second in the server, so the
 *       retention is {@value #RETENTION_MS} ms unless the URL sets another.</li>
 * </ul>
 * The file still grows faster than its data (see the README and {@code BENCHMARKS.md}).
 */
public final class H2Compaction implements Runnable {
    /**
     * Runs rewrite nothing while live pages fill more than this share of the chunks (H2's own
     * default); below it, H2 chooses which chunks to rewrite.
     */
    static final int TARGET_FILL_PERCENT = 90;
    /**
     * What one run rewrites at most. Four times as much made answers wait up to 0.4 s at about
     * 500 SMS/s with webhooks; runs of this size took under 50 ms under a saturating load.
     */
    static final int REWRITE_BYTES_PER_RUN = 256 * 1024;
    /** How long a chunk is kept once written; five times the interval between syncs. */
    static final int RETENTION_MS = 5_000;
    private static final Logger LOG = LoggerFactory.getLogger(H2Compaction.class);

    private final DataSource dataSource;
    private volatile MVStore store;

    private H2Compaction(DataSource dataSource, MVStore store) {
        this.dataSource = dataSource;
        this.store = withShortRetention(store);
    }

    /**
     * The compaction of the database behind {@code dataSource} when it is an H2 file that this
     * process opened, and not one reached through another process's auto-server, H2 in memory or
     * PostgreSQL. From then on the database keeps chunks {@value #RETENTION_MS} ms, so its file
     * must be {@link #sync synced} every second.
     */
    public static Optional<H2Compaction> of(DataSource dataSource) {
        return storeOf(dataSource).map(store -> new H2Compaction(dataSource, store));
    }

    private static Optional<MVStore> storeOf(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            if (!connection.isWrapperFor(JdbcConnection.class)
                    || !(connection.unwrap(JdbcConnection.class).getSession() instanceof SessionLocal session)
                    || !session.getDatabase().isPersistent()) {
                return Optional.empty();
            }
            return Optional.of(session.getDatabase().getStore().getMvStore());
        } catch (SQLException e) {
            throw new IllegalStateException("Could not reach the database", e);
        }
    }

    /** A retention set in the URL or by SQL is kept; H2's default gives way to the shorter one. */
    private static MVStore withShortRetention(MVStore store) {
        if (store.getRetentionTime() == store.getFileStore().getDefaultRetentionTime()) {
            store.setRetentionTime(RETENTION_MS);
        }
        return store;
    }

    /** Rewrites some of the live pages of old chunks; they reach the file with the next commit. */
    @Override
    public void run() {
        attempt("compact the database file", current -> current.compact(TARGET_FILL_PERCENT, REWRITE_BYTES_PER_RUN));
    }

    /** Forces what H2 has written to the disk, so that a power loss cannot undo it. */
    public void sync() {
        attempt("force the database file to disk", current -> current.getFileStore().sync());
    }

    /** Runs on the housekeeping thread, which an exception would stop: none goes further than here. */
    private void attempt(String what, Consumer<MVStore> action) {
        try {
            MVStore current = openStore();
            if (current != null) {
                action.accept(current);
            }
        } catch (RuntimeException e) {
            if (!store.isClosed()) {
                LOG.warn("Could not {}; will try again", what, e);
            }
        }
    }

    /** The store, or null while the database is closed. */
    private MVStore openStore() {
        MVStore current = store;
        if (current.isClosed()) {
            // H2 closes a database with its last connection and opens it anew with the next: a
            // pool of one connection does that each time it renews it.
            current = storeOf(dataSource).orElse(null);
            if (current == null || current.isClosed()) {
                return null;
            }
            store = withShortRetention(current);
        }
        return current;
    }

    /** The size of the file. */
    long fileBytes() {
        return store.getFileStore().size();
    }

    /** How long the database keeps a chunk once written, in milliseconds. */
    int retentionMillis() {
        return store.getRetentionTime();
    }
}
