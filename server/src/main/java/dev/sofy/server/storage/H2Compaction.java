package dev.sofy.server.storage;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Slows the growth of an embedded H2 file. With {@code WRITE_DELAY=0} every commit
 * writes a chunk of its own, and the next commits replace most of its pages; a chunk's space is
 * reused only once none of its pages is live. H2's background thread, which rewrites the live
 * pages of such chunks, runs only with a write delay, and no SQL statement does it while the
 * database is open: without this, under a steady load with dispatching on, the file grew by about
 * 9 KB an SMS in a straight line. Each run rewrites a bounded amount through H2's own
 * {@link MVStore#compact}, small because commits wait for H2's store lock meanwhile. The file
 * still grows, about five times more slowly: 4.1 GB for 549 MiB of data after 20 minutes at
 * 1,340 SMS/s.
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
    private static final Logger LOG = LoggerFactory.getLogger(H2Compaction.class);

    private final DataSource dataSource;
    private volatile MVStore store;

    private H2Compaction(DataSource dataSource, MVStore store) {
        this.dataSource = dataSource;
        this.store = store;
    }

    /**
     * The compaction of the database behind {@code dataSource} when it is an H2 file that this
     * process opened, and not one reached through another process's auto-server, H2 in memory or
     * PostgreSQL.
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

    /** Rewrites some of the live pages of old chunks; they reach the file with the next commit. */
    @Override
    public void run() {
        MVStore current = store;
        try {
            if (current.isClosed()) {
                // H2 closes a database with its last connection and opens it anew with the next:
                // a pool of one connection does that each time it renews it.
                current = storeOf(dataSource).orElse(null);
                if (current == null || current.isClosed()) {
                    return;
                }
                store = current;
            }
            current.compact(TARGET_FILL_PERCENT, REWRITE_BYTES_PER_RUN);
        } catch (RuntimeException e) {
            if (!current.isClosed()) {
                LOG.warn("Could not compact the database file; will try again", e);
            }
        }
    }

    /** The size of the file. */
    long fileBytes() {
        return store.getFileStore().size();
    }
}
