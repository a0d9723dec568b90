package dev.sofy.server.storage;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.h2.store.fs.FilePath;
import org.h2.store.fs.disk.FilePathDisk;

/** Files the server keeps beside its database. */
public final class DataFiles {
    private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9._-]");

    private DataFiles() {}

    /**
     * Where the built-in SMSC simulator of node {@code nodeId} keeps its state for the database at
     * {@code url}: {@code smsc-simulator-<node id>.state} beside an H2 file database; nowhere for
     * an in-memory one, which a restart loses as well; in {@code data/} of the working directory
     * for any other database (PostgreSQL). Named by node, as nodes sharing a database each run
     * their own simulator, and a restarted node takes back its own.
     */
    public static Optional<Path> simulatorStateFile(String url, String nodeId) {
        String name = "smsc-simulator-" + UNSAFE.matcher(nodeId).replaceAll("_") + ".state";
        if (!url.startsWith("jdbc:h2:")) {
            return Optional.of(Path.of("data", name));
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
            return Optional.of(Path.of("data", name));
        }
        FilePath path = FilePath.get(database);
        if (path.getClass() != FilePathDisk.class) {
            return Optional.of(Path.of("data", name));
        }
        Path parent = Path.of(path.toString()).toAbsolutePath().normalize().getParent();
        return Optional.of(parent.resolve(name));
    }
}
