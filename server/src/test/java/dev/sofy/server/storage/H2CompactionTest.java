package dev.sofy.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import dev.sofy.server.config.Config;
import dev.sofy.server.sms.Message;
import dev.sofy.server.sms.SmsIds;
import dev.sofy.server.sms.Status;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compaction of the H2 file, on a database filled by one-SMS commits: each writes a chunk of
 * its own whose pages the next commits mostly replace, as a server under a steady load does.
 */
class H2CompactionTest extends StoreContract {
    private static final int SMALL_COMMITS = 1_000;
    private static final int RUNS = 300;
    /** Chunks younger than H2's retention are left alone; the tests cannot wait the server's. */
    private static final int SHORT_RETENTION_MS = 10;

    @TempDir
    Path directory;

    @Override
    protected Config emptyDatabase() throws Exception {
        return ContractDatabases.emptyH2(directory);
    }

    @BeforeEach
    void fillWithSmallCommits() {
        fillWithSmallCommitsSoonReusable();
    }

    @Test
    void compactingShrinksTheFileThatSmallCommitsLeave() {
        H2Compaction compaction = H2Compaction.of(database.dataSource(), SHORT_RETENTION_MS).orElseThrow();
        long before = compaction.fileBytes();

        runWithCommits(compaction);

        assertTrue(compaction.fileBytes() < before / 2, before + " bytes before, " + compaction.fileBytes() + " after");
    }

    @Test
    void withoutCompactingSmallCommitsNeverShrinkTheFile() {
        H2Compaction compaction = H2Compaction.of(database.dataSource(), SHORT_RETENTION_MS).orElseThrow();
        long before = compaction.fileBytes();

        for (int i = 0; i < RUNS; i++) {
            insertOne();
        }

        assertTrue(compaction.fileBytes() >= before, before + " bytes before, " + compaction.fileBytes() + " after");
    }

    @Test
    void theServerHasH2ReuseSpaceFiveSecondsAfterAChunkWasWrittenNot45() {
        H2Compaction compaction = H2Compaction.of(database.dataSource()).orElseThrow();

        assertEquals(5_000, compaction.retentionMs());
    }

    @Test
    void compactingKeepsEveryRow() {
        runWithCommits(H2Compaction.of(database.dataSource(), SHORT_RETENTION_MS).orElseThrow());

        assertEquals(SMALL_COMMITS + RUNS, rows());
    }

    @Test
    void compactingCarriesOnOnceH2HasClosedTheDatabaseAndOpenedItAgain() throws SQLException {
        H2Compaction compaction = H2Compaction.of(database.dataSource(), SHORT_RETENTION_MS).orElseThrow();
        // As when a pool renews its only connection: H2 closes a database with its last connection.
        Connection connection = database.dataSource().getConnection();
        connection.createStatement().execute("SHUTDOWN");
        try {
            connection.close();
        } catch (SQLException closedWithTheDatabase) {
            // The pool's reset of the connection fails: nothing left to do.
        }
        ((HikariDataSource) database.dataSource()).getHikariPoolMXBean().softEvictConnections();
        fillWithSmallCommitsSoonReusable();
        compaction.run();
        long before = compaction.fileBytes();

        runWithCommits(compaction);

        assertTrue(compaction.fileBytes() < before / 2, before + " bytes before, " + compaction.fileBytes() + " after");
    }

    @Test
    void syncingForcesTheFileToDisk() {
        ForceCountingFilePath.register();
        String url = "jdbc:h2:" + ForceCountingFilePath.SCHEME + ":" + directory.resolve("counted/sofy");
        try (Database counted = Database.open(Config.from(Map.of("SOFY_DB_URL", url)))) {
            H2Compaction compaction = H2Compaction.of(counted.dataSource()).orElseThrow();
            counted.jdbi().useHandle(handle -> handle.execute("CREATE TABLE written (n INT)"));
            int before = ForceCountingFilePath.forces();

            compaction.sync();

            assertEquals(before + 1, ForceCountingFilePath.forces());
        }
    }

    @Test
    void anInMemoryDatabaseHasNoFileToCompact() {
        try (Database memory = Database.open(Config.from(Map.of("SOFY_DB_URL", "jdbc:h2:mem:compaction")))) {
            assertTrue(H2Compaction.of(memory.dataSource()).isEmpty());
        }
    }

    private void fillWithSmallCommitsSoonReusable() {
        // H2 leaves chunks younger than this alone (45 s by default, for the OS to write them out).
        database.jdbi().useHandle(handle -> handle.execute("SET RETENTION_TIME 10"));
        for (int i = 0; i < SMALL_COMMITS; i++) {
            insertOne();
        }
    }

    /** Rewritten pages reach the file with the next commit, as they do under a load. */
    private void runWithCommits(H2Compaction compaction) {
        for (int i = 0; i < RUNS; i++) {
            compaction.run();
            insertOne();
        }
    }

    private void insertOne() {
        Instant created = NOW.minusSeconds(1);
        var message = new Message(SmsIds.next(created), accountId, "36789", "33612345678", "Hello world", false, true,
                Status.PENDING, "", created, created, 1, "GSM-7", created.plusSeconds(86_400), null, null);
        sms.insert(message, List.of(), null).join();
    }

    private long rows() {
        return database.jdbi().withHandle(handle -> handle.createQuery("SELECT COUNT(*) FROM sms").mapTo(Long.class).one());
    }
}
