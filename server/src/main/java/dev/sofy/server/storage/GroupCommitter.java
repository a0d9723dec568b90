package dev.sofy.server.storage;

import dev.sofy.server.threads.DaemonThreads;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Group commit: writers hand their entries to one thread, which commits everything queued so far
 * in a single transaction and then tells each entry it was committed. One commit serves many
 * requests, and each request is still answered only after its own row is committed. It drains
 * what is queued rather than waiting for a batch to fill, which keeps latency low when the load
 * is light. Entries are told on {@code completions}, so that what follows a commit (writing an
 * HTTP answer to a slow client) never holds up the next commit.
 */
final class GroupCommitter<E extends GroupCommitter.Entry> implements AutoCloseable {
    /** What a writer queued: told once whether it was committed. */
    interface Entry {
        void committed();

        void failed(RuntimeException failure);
    }

    private final BlockingQueue<E> queue = new LinkedBlockingQueue<>();
    private final Consumer<List<E>> commit;
    private final int maxBatch;
    private final Executor completions;
    private final Thread writer;
    private volatile boolean closing;

    /**
     * @param commit stores a batch in one transaction, or throws and stores none of it; the list
     *     is the writer's own, not to be kept
     */
    GroupCommitter(String name, int maxBatch, Executor completions, Consumer<List<E>> commit) {
        this.commit = commit;
        this.maxBatch = maxBatch;
        this.completions = completions;
        this.writer = DaemonThreads.named(name).newThread(this::run);
        writer.start();
    }

    /** Queues the entry; once closing, fails it at once. */
    void submit(E entry) {
        if (closing) {
            entry.failed(new IllegalStateException("the writer is closed"));
            return;
        }
        queue.add(entry);
    }

    private void run() {
        List<E> batch = new ArrayList<>(maxBatch);
        while (!closing || !queue.isEmpty()) {
            try {
                E first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                commitAll(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                batch.clear();
            }
        }
    }

    private void commitAll(List<E> batch) {
        try {
            commit.accept(batch);
            List<E> committed = List.copyOf(batch);
            completions.execute(() -> committed.forEach(Entry::committed));
        } catch (RuntimeException failure) {
            if (batch.size() == 1) {
                fail(batch.get(0), failure);
                return;
            }
            // One bad item (a duplicate idempotency key) must not fail the others: commit one by one.
            for (E entry : batch) {
                try {
                    commit.accept(List.of(entry));
                    completions.execute(entry::committed);
                } catch (RuntimeException itemFailure) {
                    fail(entry, itemFailure);
                }
            }
        }
    }

    private void fail(E entry, RuntimeException failure) {
        completions.execute(() -> entry.failed(failure));
    }

    /** Whether the writer thread runs and takes new entries. */
    boolean running() {
        return !closing && writer.isAlive();
    }

    /** Commits what is queued, then stops the writer thread. */
    @Override
    public void close() {
        closing = true;
        try {
            writer.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
