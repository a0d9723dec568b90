package dev.sofy.server.threads;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Named daemon threads, so that a component left open never keeps the JVM alive: stopping the
 * server is closing what it opened, in order, not waiting for every thread to end.
 */
public final class DaemonThreads implements ThreadFactory {
    private final String name;
    private final AtomicInteger count;

    private DaemonThreads(String name, AtomicInteger count) {
        this.name = name;
        this.count = count;
    }

    /** Threads named {@code prefix-1}, {@code prefix-2}... */
    public static DaemonThreads numbered(String prefix) {
        return new DaemonThreads(prefix, new AtomicInteger());
    }

    /** Threads that all have this name: for a single thread, or a pool of threads alike. */
    public static DaemonThreads named(String name) {
        return new DaemonThreads(name, null);
    }

    @Override
    public Thread newThread(Runnable task) {
        var thread = new Thread(task, count == null ? name : name + "-" + count.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    }
}
