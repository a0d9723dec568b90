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
 * chunk of its own, and the next commits replace most of its pages: at about 1,000 SMS/s H2 writes
 * 12-19 MiB/s for 0.3 MiB/s of data. H2 reuses a chunk's space only once none of its pages is live
 * and its retention time has passed since it was written, so the file holds about two retention
 * times of writes besides the data.
 * <ul>
 *   <li>{@link #RETENTION_MS} shortens H2's retention from 45 s to 5 s: in a 120 s run the file
 *       went from 26 to 7 times its data compacted offline.</li>
 *   <li>H2's background thread, which rewrites the live pages of old chunks, runs only with a
 *       write delay, and no SQL statement does it while the database is open. {@link #run} has H2
 *       rewrite a bounded amount through its own {@link MVStore#compact}, small because commits
 *       wait for H2's store lock meanwhile, and commits what it rewrote, which otherwise waits for
 *       the next commit of SMS and so never reaches the file while the server is idle.</li>
 *   <li>H2 does not force a commit to disk, and leaves it to the operating system. {@link #sync}
 *       forces the file every second, well within the retention time.</li>
 * </ul>
 * {@link #start} does both on a thread of its own. The file still grows faster than its data:
 * over 30 minutes at about 1,000 SMS/s it reached 6.3 times its size compacted offline, most of
 * it old chunks whose pages later commits replaced, more than the rewrite budget reclaims. Chunks
 * are not moved towards the start of the file while it is open (H2's {@code compactMoveChunks}
 * shrank an idle file by half, but nothing proves it safe against {@code kill -9} there).
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
    /**
     * How long H2 keeps a chunk that no live page needs before writing over it, counted from when
     * the chunk was written. H2's default of 45 s kept 45 s of writes dead in the file, and as
     * much again in chunks still too young to compact. Five seconds is five syncs: a chunk is
     * overwritten only after what replaced it was forced to disk. {@code DurabilityIT}'s long test
     * kills the server while space is reused at this retention.
     */
    static final int RETENTION_MS = 5_000;
    static final long SYNC_EVERY_MS = 1_000;
    private static final Logger LOG = LoggerFactory.getLogger(H2Compaction.class);

    private final DataSource dataSource;
    private final int retentionMs;
    private volatile MVStore store;
    private ScheduledExecutorService upkeep;

    private H2Compaction(DataSource dataSource, MVStore store, int retentionMs) {
        this.dataSource = dataSource;
        this.store = store;
        this.retentionMs = retentionMs;
        store.setRetentionTime(retentionMs);
    }

    /**
     * The compaction of the database behind {@code dataSource} when it is an H2 file that this
     * process opened, and not one reached through another process's auto-server, H2 in memory or
     * PostgreSQL.
     */
    public static Optional<H2Compaction> of(DataSource dataSource) {
        return of(dataSource, RETENTION_MS);
    }

    /** The same with another retention, for tests that cannot wait {@value #RETENTION_MS} ms. */
    static Optional<H2Compaction> of(DataSource dataSource, int retentionMs) {
        return storeOf(dataSource).map(store -> new H2Compaction(dataSource, store, retentionMs));
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

    /**
     * Rewrites some of the live pages of old chunks and commits them, so that they reach the file
     * while the server is idle too.
     */
    @Override
    public void run() {
        attempt("compact the database file", current -> {
            if (current.compact(TARGET_FILL_PERCENT, REWRITE_BYTES_PER_RUN)) {
                current.commit();
            }
        });
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
            current.setRetentionTime(retentionMs);
            store = current;
        }
        return current;
    }

    /** The size of the file. */
    long fileBytes() {
        return store.getFileStore().size();
    }

    /** H2's retention time in the store, in milliseconds. */
    int retentionMs() {
        return store.getRetentionTime();
    }
}
