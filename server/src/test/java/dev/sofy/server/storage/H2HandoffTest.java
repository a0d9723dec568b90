package dev.sofy.server.storage;

import dev.sofy.server.config.Config;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The hand-off contract on an H2 file database, as the server uses by default. */
final class H2HandoffTest extends HandoffContract {
    @TempDir
    Path directory;

    @Override
    protected Config emptyDatabase() throws Exception {
        return ContractDatabases.emptyH2(directory);
    }
}
