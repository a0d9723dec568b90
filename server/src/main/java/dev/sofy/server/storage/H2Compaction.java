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
 * Keeps an embedded H2 file near the size of its data. With {@code WRITE_DELAY=0} every commit
 * writes a chunk of its own, and the next commits replace most of its pages; a chunk's space is
 * reused only once none of its pages is live. H2's background thread, which rewrites the few live
 * pages of such chunks, runs only with a write delay, and no SQL statement does it while the
 * database is open: without this, under a steady load with dispatching on, the file grew by about
 * 9 KB an SMS and never levelled off. Each run rewrites a bounded amount through H2's own
 * {@link MVStore#compact}, small because commits wait for H2's store lock meanwhile.
 */
public final class H2Compaction implements Runnable {
    /** Chunks are rewritten while live pages fill less than this share of them (H2's own default). */
    static final int TARGET_FILL_PERCENT = 90;
    /**
     * What one run rewrites at most: about 10 ms of commits held up. Four times as much made
     * answers wait up to 0.4 s at about 500 SMS/s with webhooks.
     */
    static final int REWRITE_BYTES_PER_RUN = 256 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(H2Compaction.class);

    private final MVStore store;

    private H2Compaction(MVStore store) {
        this.store = store;
    }

    /**
     * The compaction of the database behind {@code dataSource} when it is an H2 file that this
     * process opened, and not one reached through another process's auto-server, H2 in memory or
     * PostgreSQL.
     */
    public static Optional<H2Compaction> of(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            if (!connection.isWrapperFor(JdbcConnection.class)
                    || !(connection.unwrap(JdbcConnection.class).getSession() instanceof SessionLocal session)
                    || !session.getDatabase().isPersistent()) {
                return Optional.empty();
            }
            return Optional.of(new H2Compaction(session.getDatabase().getStore().getMvStore()));
        } catch (SQLException e) {
            throw new IllegalStateException("Could not reach the database", e);
        }
    }

    /** Rewrites some of the live pages of the emptiest chunks; they reach the file with the next commit. */
    @Override
    public void run() {
        if (store.isClosed()) {
            return;
        }
        try {
            store.compact(TARGET_FILL_PERCENT, REWRITE_BYTES_PER_RUN);
        } catch (RuntimeException e) {
            if (!store.isClosed()) {
                LOG.warn("Could not compact the database file; will try again", e);
            }
        }
    }

    /** The size of the file. */
    long fileBytes() {
        return store.getFileStore().size();
    }
}
