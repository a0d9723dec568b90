package dev.sofy.server.storage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Group commit: concurrent writers hand their items to one thread, which commits everything
 * queued so far in a single transaction and then releases each writer. One commit then serves
 * many requests, and each request is still answered only after its own row is committed. It
 * drains what is queued rather than waiting for a batch to fill, which keeps latency low when
 * the load is light.
 */
final class GroupCommitter<T> implements AutoCloseable {
    /** Thrown to a writer whose item was not committed in time. */
    static final class CommitTimeoutException extends RuntimeException {
        CommitTimeoutException(Duration timeout) {
            super("the database did not commit within " + timeout.toSeconds() + " s");
        }
    }

    private record Entry<T>(T item, CompletableFuture<Void> committed) {}

    private final BlockingQueue<Entry<T>> queue = new LinkedBlockingQueue<>();
    private final Consumer<List<T>> commit;
    private final int maxBatch;
    private final Duration timeout;
    private final Thread writer;
    private volatile boolean closing;

    /**
     * @param commit stores a batch in one transaction, or throws and stores none of it
     */
    GroupCommitter(String name, int maxBatch, Duration timeout, Consumer<List<T>> commit) {
        this.commit = commit;
        this.maxBatch = maxBatch;
        this.timeout = timeout;
        this.writer = new Thread(this::run, name);
        writer.setDaemon(true);
        writer.start();
    }

    /** Returns once the item is committed; throws what committing it threw. */
    void submit(T item) {
        if (closing) {
            throw new IllegalStateException("the writer is closed");
        }
        var entry = new Entry<>(item, new CompletableFuture<Void>());
        queue.add(entry);
        try {
            entry.committed().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new CommitTimeoutException(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a commit", e);
        }
    }

    private void run() {
        List<Entry<T>> batch = new ArrayList<>(maxBatch);
        while (!closing || !queue.isEmpty()) {
            try {
                Entry<T> first = queue.poll(100, TimeUnit.MILLISECONDS);
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

    private void commitAll(List<Entry<T>> batch) {
        try {
            commit.accept(batch.stream().map(Entry::item).toList());
            batch.forEach(entry -> entry.committed().complete(null));
        } catch (RuntimeException failure) {
            if (batch.size() == 1) {
                batch.get(0).committed().completeExceptionally(failure);
                return;
            }
            // One bad item (a duplicate idempotency key) must not fail the others: commit one by one.
            for (Entry<T> entry : batch) {
                try {
                    commit.accept(List.of(entry.item()));
                    entry.committed().complete(null);
                } catch (RuntimeException itemFailure) {
                    entry.committed().completeExceptionally(itemFailure);
                }
            }
        }
    }

    /** Commits what is queued, then stops the writer thread. */
    @Override
    public void close() {
        closing = true;
        try {
            writer.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
