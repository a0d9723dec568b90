package dev.sofy.server.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.h2.store.fs.FilePath;
import org.h2.store.fs.disk.FilePathDisk;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The directory of an H2 file database, kept to the server's OS user: it is created {@code 0700}
 * and H2 creates every file in it {@code 0600} through {@link PrivateFilePath}; an existing
 * directory open to others is warned about, and the database's own files are made {@code 0600}.
 * On a file system without POSIX modes the modes are left to it, with a log line.
 */
final class PrivateDataDirectory {
    private static final Logger LOG = LoggerFactory.getLogger(PrivateDataDirectory.class);

    private final String url;
    private final Path directory;
    private final String name;

    private PrivateDataDirectory(String url, Path directory, String name) {
        this.url = url;
        this.directory = directory;
        this.name = name;
    }

    /**
     * The directory of the H2 file database of {@code url}, when it is on H2's plain disk file
     * system (not, for example, {@code memFS:} or {@code split:}).
     */
    static Optional<PrivateDataDirectory> of(String url) {
        String rest = url.substring("jdbc:h2:".length());
        int settings = rest.indexOf(';');
        String database = settings < 0 ? rest : rest.substring(0, settings);
        if (database.startsWith("file:")) {
            database = database.substring("file:".length());
        }
        FilePath path = FilePath.get(database);
        if (path.getClass() != FilePathDisk.class) {
            LOG.info("{} is not on H2's disk file system: its files are left as H2 makes them", database);
            return Optional.empty();
        }
        PrivateFilePath.register();
        Path file = Path.of(path.toString()).toAbsolutePath().normalize();
        return Optional.of(new PrivateDataDirectory(
                "jdbc:h2:" + PrivateFilePath.SCHEME + ":" + database + (settings < 0 ? "" : rest.substring(settings)),
                file.getParent(), file.getFileName().toString()));
    }

    /** The database's URL, through {@link PrivateFilePath}. */
    String url() {
        return url;
    }

    /**
     * Creates the directory {@code 0700}, or warns when it exists and is open to other users; makes
     * the database's files {@code 0600} (those of an earlier release were left to the umask).
     */
    void secure() {
        try {
            if (!PrivateFilePath.POSIX) {
                Files.createDirectories(directory);
                LOG.warn("This file system has no POSIX modes: the files in {} keep the access the OS gives them",
                        directory);
                return;
            }
            if (Files.notExists(directory)) {
                Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(PrivateFilePath.DIRECTORY_MODE));
            } else {
                Set<PosixFilePermission> mode = Files.getPosixFilePermissions(directory);
                if (!PrivateFilePath.DIRECTORY_MODE.containsAll(mode)) {
                    LOG.warn("{} is {}: other OS users can reach it; only the server's should (chmod 700)",
                            directory, PosixFilePermissions.toString(mode));
                }
            }
            for (Path file : ownFiles()) {
                Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
                if (!PrivateFilePath.FILE_MODE.containsAll(mode)) {
                    restrict(file, mode);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not keep " + directory + " private to the server's OS user", e);
        }
    }

    private static void restrict(Path file, Set<PosixFilePermission> mode) {
        try {
            Files.setPosixFilePermissions(file, PrivateFilePath.FILE_MODE);
            LOG.warn("{} was {}; it is now rw-------", file, PosixFilePermissions.toString(mode));
        } catch (IOException e) {
            // Such as a FAT or SMB mount, whose modes are the mount's.
            LOG.warn("{} is {} and could not be made rw-------: {}", file, PosixFilePermissions.toString(mode), e.toString());
        }
    }

    /** The database's files: its name, a dot, and H2's suffixes or ours. */
    private List<Path> ownFiles() throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> file.getFileName().toString().startsWith(name + "."))
                    .filter(file -> Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS))
                    .toList();
        }
    }
}
