package dev.sofy.server.storage;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import org.h2.store.fs.FilePath;
import org.h2.store.fs.disk.FilePathDisk;

/** Files the server keeps beside its database. */
public final class DataFiles {
    static final String SIMULATOR_STATE = "smsc-simulator.state";

    private DataFiles() {}

    /**
     * Where the built-in SMSC simulator keeps its state for the database at {@code url}: beside
     * an H2 file database; nowhere for an in-memory one, which a restart loses as well; in
     * {@code data/} of the working directory for any other database (PostgreSQL).
     */
    public static Optional<Path> simulatorStateFile(String url) {
        if (!url.startsWith("jdbc:h2:")) {
            return Optional.of(Path.of("data", SIMULATOR_STATE));
        }
        String rest = url.substring("jdbc:h2:".length());
        int settings = rest.indexOf(';');
        String database = settings < 0 ? rest : rest.substring(0, settings);
        if (database.startsWith("file:")) {
            database = database.substring("file:".length());
        }
        String lower = database.toLowerCase(Locale.ROOT);
        if (lower.startsWith("mem:") || lower.startsWith("memfs:") || lower.startsWith("memlzf:")) {
            return Optional.empty();
        }
        if (lower.startsWith("tcp:") || lower.startsWith("ssl:")) {
            return Optional.of(Path.of("data", SIMULATOR_STATE));
        }
        FilePath path = FilePath.get(database);
        if (path.getClass() != FilePathDisk.class) {
            return Optional.of(Path.of("data", SIMULATOR_STATE));
        }
        Path parent = Path.of(path.toString()).toAbsolutePath().normalize().getParent();
        return Optional.of(parent.resolve(SIMULATOR_STATE));
    }
}
