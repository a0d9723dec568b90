package dev.sofy.server.storage;

import dev.sofy.server.threads.DaemonThreads;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
 *   <li>H2 does not force a commit to disk, and leaves it to the operating system. {@link #sync}
 *       forces the file every second.</li>
 * </ul>
 * {@link #start} does both on a thread of its own. H2's retention (45 s from when a chunk was
 * written) is left as it is: space reused sooner may be what a recovery after {@code kill -9}
 * reads, and a 5 s retention lost acknowledged commits that way on H2 2.5.252. The file still
 * grows faster than its data; {@code docs/operations.md} says how to give the space back.
 */
public final class H2Compaction implements Runnable, AutoCloseable {
    /**
     * Runs rewrite nothing while live pages fill more than this share of the chunks (H2's own
     * default); below it, H2 chooses which chunks to rewrite.
     */
    static final int TARGET_FILL_PERCENT = 90;
    /**
     * What one run rewrites at most: commits wait for a run, which at this size takes under 50 ms
     * under a saturating load; four times as much holds answers up to 0.4 s at about 500 SMS/s.
     */
    static final int REWRITE_BYTES_PER_RUN = 256 * 1024;
    static final long COMPACT_EVERY_MS = 100;
    static final long SYNC_EVERY_MS = 1_000;
    private static final Logger LOG = LoggerFactory.getLogger(H2Compaction.class);

    private final DataSource dataSource;
    private volatile MVStore store;
    private ScheduledExecutorService upkeep;

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
        attempt("compact the database file", current -> current.compact(TARGET_FILL_PERCENT, REWRITE_BYTES_PER_RUN));
    }

    /** Forces what H2 has written to the disk, so that a power loss cannot undo it. */
    public void sync() {
        attempt("force the database file to disk", current -> current.getFileStore().sync());
    }

    /** Compacts every {@value #COMPACT_EVERY_MS} ms and syncs every second, on a thread of its own. */
    public H2Compaction start() {
        upkeep = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("sofy-h2-file"));
        upkeep.scheduleWithFixedDelay(this, COMPACT_EVERY_MS, COMPACT_EVERY_MS, TimeUnit.MILLISECONDS);
        upkeep.scheduleWithFixedDelay(this::sync, SYNC_EVERY_MS, SYNC_EVERY_MS, TimeUnit.MILLISECONDS);
        return this;
    }

    /**
     * Stops the thread, letting a run in progress finish (an interrupt during a read can close
     * H2's file channel under the writes still to come).
     */
    @Override
    public void close() throws InterruptedException {
        if (upkeep != null) {
            upkeep.shutdown();
            if (!upkeep.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("The H2 file's compaction was still running after 5 s; closing the database anyway");
            }
        }
    }

    /** Runs on a scheduled thread, which an exception would stop: none goes further than here. */
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
            store = current;
        }
        return current;
    }

    /** The size of the file. */
    long fileBytes() {
        return store.getFileStore().size();
    }
}
