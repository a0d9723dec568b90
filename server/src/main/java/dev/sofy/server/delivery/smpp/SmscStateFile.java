package dev.sofy.server.delivery.smpp;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulator's memory of the messages it accepted and still owes a receipt for, as JSON
 * lines: one line per accepted message, one per receipt the ESME acknowledged. An accepted
 * message's line is written to the file before its submit_sm_resp leaves, so a kill of the
 * process loses none (the OS has the bytes); nothing is forced to the disk, so a power loss may
 * lose the last ones. Acknowledgements are written with the next accepted message, or within a
 * second: one lost to a kill only means that receipt is delivered again, which the ESME must
 * take anyway. The file is rewritten with what is still owed on opening and whenever it grew
 * well past that, so it stays small. It is created {@code 0600} (its directory {@code 0700}
 * when this creates it), and held with a lock beside it, {@code <file>.lock}, so that two
 * simulators never share it.
 */
final class SmscStateFile implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SmscStateFile.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> DIRECTORY_MODE = PosixFilePermissions.fromString("rwx------");
    /** Lines past which the file is rewritten, when most of them are about settled messages. */
    private static final long COMPACT_AFTER_LINES = 100_000;
    /** The outcome of a message that never gets a receipt. */
    static final String NO_RECEIPT = "NONE";
    private static final Duration NO_RECEIPT_RETENTION = Duration.ofDays(7);

    /**
     * An accepted message, with all a receipt or a query_sm_resp needs.
     *
     * @param outcome the stat of its receipt (DELIVRD, UNDELIV, EXPIRED), or {@link #NO_RECEIPT}
     */
    record Message(String id, String outcome, long submittedAtMillis, long receiptDueAtMillis,
                   byte sourceTon, byte sourceNpi, String source,
                   byte destinationTon, byte destinationNpi, String destination) {}

    /** One line: either {@code accepted} or {@code acknowledged} (a message id). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Line(Message accepted, String acknowledged) {}

    private final Path file;
    private final Supplier<Collection<Message>> owed;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private FileChannel channel;
    private long lines;
    private final long compactAfterLines;
    /** Lines at which to look whether the file is worth rewriting. */
    private long compactAt;
    private boolean closed;

    private SmscStateFile(Path file, Supplier<Collection<Message>> owed, FileChannel lockChannel, FileLock lock,
            long compactAfterLines) {
        this.file = file;
        this.compactAfterLines = compactAfterLines;
        this.compactAt = compactAfterLines;
        this.owed = owed;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Opens {@code file}, creating it when missing, and returns it with the messages still owed
     * a receipt; {@code owed} gives them from then on, for rewriting the file.
     */
    static Opened open(Path file, Supplier<Collection<Message>> owed) throws IOException {
        return open(file, owed, COMPACT_AFTER_LINES);
    }

    /** As {@link #open(Path, Supplier)}, looking whether to rewrite the file every {@code compactAfterLines}. */
    static Opened open(Path file, Supplier<Collection<Message>> owed, long compactAfterLines) throws IOException {
        Path absolute = file.toAbsolutePath().normalize();
        Path directory = absolute.getParent();
        if (directory != null && Files.notExists(directory)) {
            if (POSIX) {
                Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(DIRECTORY_MODE));
            } else {
                Files.createDirectories(directory);
            }
        }
        Path lockFile = absolute.resolveSibling(absolute.getFileName() + ".lock");
        FileChannel lockChannel = FileChannel.open(lockFile, createOptions(), privateFile());
        FileLock lock;
        try {
            lock = lockChannel.tryLock();
        } catch (OverlappingFileLockException heldInThisProcess) {
            lock = null;
        } catch (IOException | RuntimeException e) {
            lockChannel.close();
            throw e;
        }
        if (lock == null) {
            lockChannel.close();
            throw new IllegalStateException(absolute + " is in use by another SMSC simulator");
        }
        var state = new SmscStateFile(absolute, owed, lockChannel, lock, compactAfterLines);
        try {
            Map<String, Message> loaded = state.load();
            state.rewrite(loaded.values());
            return new Opened(state, loaded);
        } catch (IOException | RuntimeException e) {
            state.close();
            throw e;
        }
    }

    /** The state file, and the messages it says are still owed a receipt, oldest first. */
    record Opened(SmscStateFile file, Map<String, Message> owed) {}

    Path path() {
        return file;
    }

    private Map<String, Message> load() throws IOException {
        Map<String, Message> loaded = new LinkedHashMap<>();
        if (Files.notExists(file)) {
            return loaded;
        }
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String text;
            while ((text = reader.readLine()) != null) {
                Line line;
                try {
                    line = JSON.readValue(text, Line.class);
                } catch (JsonProcessingException e) {
                    // the last line of a process killed mid-write, or a file that is not ours
                    log.warn("Skipping a line of {} that is not a simulator state line: {}", file, e.getOriginalMessage());
                    continue;
                }
                if (line.accepted() != null && !forgotten(line.accepted())) {
                    loaded.put(line.accepted().id(), line.accepted());
                } else if (line.acknowledged() != null) {
                    loaded.remove(line.acknowledged());
                }
            }
        }
        return loaded;
    }

    /**
     * A message that never gets a receipt is kept until no SMS could still wait for it: a week,
     * the longest validity period.
     */
    private static boolean forgotten(Message message) {
        return message.outcome().equals(NO_RECEIPT)
                && message.submittedAtMillis() < System.currentTimeMillis() - NO_RECEIPT_RETENTION.toMillis();
    }

    /** Written before the caller answers the submit. */
    void accepted(Message message) {
        byte[] line = encode(new Line(message, null)); // outside the lock: submits come on many threads
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("the simulator is stopping");
            }
            append(line);
            flush();
            compactIfLarge();
        }
    }

    /** Written with the next flush: a lost one only repeats a receipt. */
    void acknowledged(String messageId) {
        byte[] line = encode(new Line(null, messageId));
        synchronized (this) {
            append(line);
            compactIfLarge();
        }
    }

    synchronized void flush() {
        if (pending.size() == 0 || channel == null || closed) {
            return;
        }
        try {
            ByteBuffer bytes = ByteBuffer.wrap(pending.toByteArray());
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            pending.reset();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the simulator's state to " + file, e);
        }
    }

    private static byte[] encode(Line line) {
        try {
            return JSON.writeValueAsBytes(line);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Could not write a state line", e);
        }
    }

    private void append(byte[] line) {
        pending.writeBytes(line);
        pending.write('\n');
        lines++;
    }

    private void compactIfLarge() {
        if (lines < compactAt) {
            return;
        }
        Collection<Message> live = owed.get();
        if (lines >= 4L * live.size()) {
            flush();
            try {
                rewrite(live);
            } catch (IOException e) {
                throw new UncheckedIOException("Could not rewrite the simulator's state in " + file, e);
            }
        }
        compactAt = lines + Math.max(compactAfterLines, 4L * live.size());
    }

    /** Writes {@code live} to a new file that then takes the name, so a kill meanwhile leaves the old one whole. */
    private void rewrite(Collection<Message> live) throws IOException {
        Path temporary = file.resolveSibling(file.getFileName() + ".new");
        Files.deleteIfExists(temporary);
        try (FileChannel out = FileChannel.open(temporary, createOptions(), privateFile())) {
            var bytes = new ByteArrayOutputStream();
            for (Message message : live) {
                bytes.writeBytes(encode(new Line(message, null)));
                bytes.write('\n');
            }
            ByteBuffer buffer = ByteBuffer.wrap(bytes.toByteArray());
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
        }
        if (channel != null) {
            channel.close();
        }
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        lines = live.size();
    }

    private static Set<StandardOpenOption> createOptions() {
        return Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    }

    private static FileAttribute<?>[] privateFile() {
        return POSIX
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE_MODE)}
                : new FileAttribute<?>[0];
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        try {
            flush();
        } catch (UncheckedIOException e) {
            log.warn("Could not write the last acknowledgements to {}: {}", file, e.getMessage());
        }
        closed = true;
        try {
            if (channel != null) {
                channel.close();
            }
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            log.debug("Closing {}: {}", file, e.getMessage());
        }
    }
}
