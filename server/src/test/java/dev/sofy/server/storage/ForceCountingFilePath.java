package dev.sofy.server.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.util.concurrent.atomic.AtomicInteger;
import org.h2.store.fs.FileBase;
import org.h2.store.fs.FilePath;
import org.h2.store.fs.FilePathWrapper;

/**
 * H2's disk file system, counting how often its files are forced to disk: a database URL of
 * {@code jdbc:h2:forcecount:/some/file} uses it once {@link #register registered}. Public, as H2
 * creates an instance for each path by reflection.
 */
public final class ForceCountingFilePath extends FilePathWrapper {
    static final String SCHEME = "forcecount";
    private static final AtomicInteger FORCES = new AtomicInteger();

    static void register() {
        FilePath.register(new ForceCountingFilePath());
    }

    /** How many times a file of this file system was forced to disk so far. */
    static int forces() {
        return FORCES.get();
    }

    @Override
    public String getScheme() {
        return SCHEME;
    }

    @Override
    public FileChannel open(String mode) throws IOException {
        return new Counted(getBase().open(mode));
    }

    private static final class Counted extends FileBase {
        private final FileChannel file;

        Counted(FileChannel file) {
            this.file = file;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            FORCES.incrementAndGet();
            file.force(metaData);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return file.read(dst, position);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            return file.write(src, position);
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return file.read(dst);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            return file.write(src);
        }

        @Override
        public long position() throws IOException {
            return file.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            file.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return file.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            file.truncate(size);
            return this;
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return file.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            file.close();
        }
    }
}
