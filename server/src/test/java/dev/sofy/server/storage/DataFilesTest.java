package dev.sofy.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataFilesTest {
    @TempDir
    Path directory;

    @Test
    void theSimulatorKeepsItsStateBesideAnH2FileDatabaseNamedByNode() {
        String url = "jdbc:h2:file:" + directory.resolve("sofy") + ";AUTO_SERVER=TRUE";

        assertEquals(Optional.of(directory.resolve("smsc-simulator-node-1.state")),
                DataFiles.simulatorStateFile(url, "node-1"));
    }

    @Test
    void anInMemoryDatabaseGivesTheSimulatorNoStateFile() {
        assertEquals(Optional.empty(), DataFiles.simulatorStateFile("jdbc:h2:mem:test;DB_CLOSE_DELAY=-1", "node-1"));
    }

    @Test
    void withPostgresqlTheStateFileIsInTheWorkingDirectorysDataFolder() {
        assertEquals(Optional.of(Path.of("data", "smsc-simulator-node-1.state")),
                DataFiles.simulatorStateFile("jdbc:postgresql://localhost/sofy", "node-1"));
    }

    @Test
    void aNodeIdIsMadeSafeForAFileName() {
        assertEquals(Optional.of(Path.of("data", "smsc-simulator-a_b_c.state")),
                DataFiles.simulatorStateFile("jdbc:postgresql://localhost/sofy", "a/b c"));
    }
}
