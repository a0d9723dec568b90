package dev.sofy.server.storage;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.h2.store.fs.FilePath;
import org.h2.store.fs.FilePathWrapper;
import org.h2.store.fs.disk.FilePathDisk;

/**
 * H2's disk file system, creating every file {@code 0600} and every directory {@code 0700}: a
 * database URL of {@code jdbc:h2:private:/some/file} uses it once {@link #register registered}.
 * Java cannot set the umask, and H2 creates files whenever it needs them (the lock file at each
 * open, the trace file at the first error, a new trace file when it rotates the old one), so each
 * gets its mode as it is created rather than from a pass over the directory. Public, as H2
 * creates an instance for each path by reflection.
 */
public final class PrivateFilePath extends FilePathWrapper {
    static final String SCHEME = "private";
    static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> DIRECTORY_MODE = PosixFilePermissions.fromString("rwx------");
    static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final FileAttribute<Set<PosixFilePermission>> PRIVATE_FILE =
            PosixFilePermissions.asFileAttribute(FILE_MODE);
    private static final FileAttribute<Set<PosixFilePermission>> PRIVATE_DIRECTORY =
            PosixFilePermissions.asFileAttribute(DIRECTORY_MODE);

    static void register() {
        FilePath.register(new PrivateFilePath());
    }

    @Override
    public String getScheme() {
        return SCHEME;
    }

    @Override
    public FileChannel open(String mode) throws IOException {
        if (!mode.equals("r")) {
            createIfMissing();
        }
        return super.open(mode);
    }

    @Override
    public OutputStream newOutputStream(boolean append) throws IOException {
        createIfMissing();
        return super.newOutputStream(append);
    }

    @Override
    public boolean createFile() {
        if (!onPosixDisk()) {
            return super.createFile();
        }
        try {
            Files.createFile(path(), PRIVATE_FILE);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (IOException e) {
            // H2's own retries, and its answer.
            return super.createFile();
        }
    }

    @Override
    public void createDirectory() {
        if (onPosixDisk()) {
            try {
                Files.createDirectory(path(), PRIVATE_DIRECTORY);
                return;
            } catch (IOException e) {
                // H2's own retries, and its error.
            }
        }
        super.createDirectory();
    }

    /** Creates the file, and the directories it needs, with private modes; H2 then opens it as it is. */
    private void createIfMissing() throws IOException {
        if (!onPosixDisk()) {
            return;
        }
        Path file = path();
        if (Files.exists(file)) {
            return;
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent, PRIVATE_DIRECTORY);
        }
        try {
            Files.createFile(file, PRIVATE_FILE);
        } catch (FileAlreadyExistsException createdMeanwhile) {
            // Another thread or process created it first, through this class too.
        }
    }

    private boolean onPosixDisk() {
        return POSIX && getBase() instanceof FilePathDisk;
    }

    private Path path() {
        return Path.of(getBase().toString());
    }
}
