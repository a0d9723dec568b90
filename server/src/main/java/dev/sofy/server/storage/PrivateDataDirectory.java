package dev.sofy.server.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.h2.api.ErrorCode;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.store.fs.FilePath;
import org.h2.store.fs.disk.FilePathDisk;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The directory of an H2 file database, kept to the server's OS user. Its auto-server answers on
 * a loopback port to anyone who read the key in the lock file, so both the files and the login
 * are guarded:
 * <ul>
 *   <li>the directory is created {@code 0700} and H2 creates every file in it {@code 0600}
 *       through {@link PrivateFilePath}; an existing directory open to others is warned about,
 *       and the database's own files are made {@code 0600};</li>
 *   <li>unless the operator sets a password, the database has a random one, kept in
 *       {@code <name>.password} beside {@code <name>.mv.db}, where the {@code keys} commands
 *       read it too.</li>
 * </ul>
 * On a file system without POSIX modes the modes are left to it, with a log line.
 */
final class PrivateDataDirectory {
    private static final String PASSWORD_SUFFIX = ".password";
    private static final Logger LOG = LoggerFactory.getLogger(PrivateDataDirectory.class);
    private static final SecureRandom RANDOM = new SecureRandom();

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
            LOG.warn("{} is not on H2's disk file system: its files get no private modes and the database no"
                    + " generated password; set SOFY_DB_PASSWORD", database);
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

    Path passwordFile() {
        return directory.resolve(name + PASSWORD_SUFFIX);
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
                if (mode.contains(PosixFilePermission.OTHERS_WRITE)) {
                    // Any user could have put a password file, or a database, there for the server to trust.
                    throw new IllegalStateException(directory + " is " + PosixFilePermissions.toString(mode)
                            + ": every OS user can write to it; make it the server's user's only (chmod 700)");
                }
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

    /**
     * A first connection, with the password of the password file (a new random one when there is
     * no file yet); the pool is started while it is open, so that H2 opens the file once. A
     * database with the empty password (of an earlier release, or of a start that stopped between
     * writing the file and setting the password) gets the file's password here. When an earlier
     * release's server holds the database, this process uses the empty password too, and leaves
     * the change to that server's next start.
     */
    FirstConnection firstConnection(String user) {
        Password filed = password();
        String password = filed.value();
        SQLException refused;
        try {
            return new FirstConnection(DriverManager.getConnection(url, user, password), password);
        } catch (SQLException e) {
            if (e.getErrorCode() != ErrorCode.WRONG_USER_OR_PASSWORD) {
                throw new IllegalStateException("Could not open the database " + url + ": " + e.getMessage(), e);
            }
            refused = e;
        }
        Connection connection;
        try {
            connection = DriverManager.getConnection(url, user, "");
        } catch (SQLException e) {
            refused.addSuppressed(e);
            String tried = filed.created() ? "a new password" : "the password in " + passwordFile();
            if (filed.created()) {
                forget(filed);
            }
            throw new IllegalStateException("The database " + url + " refused user " + user + " with " + tried
                    + " and with the empty password; set SOFY_DB_USER and SOFY_DB_PASSWORD to its login", refused);
        }
        try {
            if (!heldByThisProcess(connection)) {
                LOG.warn("An earlier release's server holds {} with the empty password; the next start of the server"
                        + " sets the password of {}", url, passwordFile());
                return new FirstConnection(connection, "");
            }
            setPassword(connection, password);
            LOG.warn("The database {} had the empty password; it now has the one in {}", url, passwordFile());
            return new FirstConnection(connection, password);
        } catch (SQLException | RuntimeException e) {
            try {
                connection.close();
            } catch (SQLException closing) {
                e.addSuppressed(closing);
            }
            throw new IllegalStateException("Could not set the password of the database " + url, e);
        }
    }

    /** A connection to keep open meanwhile, and the password that opened it. */
    record FirstConnection(Connection connection, String password) implements AutoCloseable {
        @Override
        public void close() {
            try {
                connection.close();
            } catch (SQLException e) {
                throw new IllegalStateException("Could not close the first connection", e);
            }
        }
    }

    /** A password of the password file, and whether this process wrote it. */
    private record Password(String value, boolean created) {}

    /** The password in the password file, first written with a random one when the file is missing. */
    private Password password() {
        Path file = passwordFile();
        try {
            try {
                return new Password(read(file), false);
            } catch (NoSuchFileException e) {
                return create(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read or write the database password in " + file, e);
        }
    }

    /** Removes a password this process wrote and the database refused, so that no file names a wrong one. */
    private void forget(Password refused) {
        try {
            if (read(passwordFile()).equals(refused.value())) {
                Files.delete(passwordFile());
            }
        } catch (IOException e) {
            LOG.warn("Could not remove {}, which does not hold the database's password: {}", passwordFile(), e.toString());
        }
    }

    private static String read(Path file) throws IOException {
        String password = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (password.isEmpty()) {
            throw new IOException(file + " is empty; it should hold the database's password");
        }
        return password;
    }

    /**
     * Writes a random password to a temporary file and forces it to disk before it takes the
     * file's name, so that the name never shows a partial password: the database must not get a
     * password that the file does not hold in full. A link, not a move, takes the name, so that
     * of two processes creating the file at once, the second reads the first one's.
     */
    private Password create(Path file) throws IOException {
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Path temporary = PrivateFilePath.POSIX
                ? Files.createTempFile(directory, name + PASSWORD_SUFFIX, ".tmp",
                        PosixFilePermissions.asFileAttribute(PrivateFilePath.FILE_MODE))
                : Files.createTempFile(directory, name + PASSWORD_SUFFIX, ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                channel.write(StandardCharsets.UTF_8.encode(password + "\n"));
                channel.force(true);
            }
            try {
                Files.createLink(file, temporary);
            } catch (FileAlreadyExistsException createdMeanwhile) {
                return new Password(read(file), false);
            } catch (IOException | UnsupportedOperationException noHardLinks) {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
            }
            forceDirectory();
            return new Password(password, true);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** Makes the file's name durable before the database gets the password; not every OS can. */
    private void forceDirectory() {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            LOG.debug("Could not force {} to disk", directory, e);
        }
    }

    private static boolean heldByThisProcess(Connection connection) throws SQLException {
        return connection.unwrap(JdbcConnection.class).getSession() instanceof SessionLocal;
    }

    private static void setPassword(Connection connection, String password) throws SQLException {
        String user;
        try (Statement statement = connection.createStatement();
             var rows = statement.executeQuery("SELECT CURRENT_USER")) {
            rows.next();
            user = rows.getString(1);
        }
        try (var statement = connection.prepareStatement(
                "ALTER USER \"" + user.replace("\"", "\"\"") + "\" SET PASSWORD ?")) {
            statement.setString(1, password);
            statement.execute();
        }
    }
}
