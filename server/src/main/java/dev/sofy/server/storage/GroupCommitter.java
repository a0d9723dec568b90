package dev.sofy.server.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Group commit: writers hand their items to one thread, which commits everything queued so far
 * in a single transaction and then completes each writer's future. One commit serves many
 * requests, and each request is still answered only after its own row is committed. It drains
 * what is queued rather than waiting for a batch to fill, which keeps latency low when the load
 * is light. Futures are completed on {@code completions}, so that what follows a commit (writing
 * an HTTP answer to a slow client) never holds up the next commit.
 */
final class GroupCommitter<T> implements AutoCloseable {
    private record Entry<T>(T item, CompletableFuture<Void> committed) {}

    private final BlockingQueue<Entry<T>> queue = new LinkedBlockingQueue<>();
    private final Consumer<List<T>> commit;
    private final int maxBatch;
    private final Executor completions;
    private final Thread writer;
    private volatile boolean closing;

    /**
     * @param commit stores a batch in one transaction, or throws and stores none of it
     */
    GroupCommitter(String name, int maxBatch, Executor completions, Consumer<List<T>> commit) {
        this.commit = commit;
        this.maxBatch = maxBatch;
        this.completions = completions;
        this.writer = new Thread(this::run, name);
        writer.setDaemon(true);
        writer.start();
    }

    /** A future completed once the item is committed, or completed with what committing it threw. */
    CompletableFuture<Void> submit(T item) {
        if (closing) {
            return CompletableFuture.failedFuture(new IllegalStateException("the writer is closed"));
        }
        var entry = new Entry<>(item, new CompletableFuture<Void>());
        queue.add(entry);
        return entry.committed();
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
            List<Entry<T>> committed = List.copyOf(batch);
            completions.execute(() -> committed.forEach(entry -> entry.committed().complete(null)));
        } catch (RuntimeException failure) {
            if (batch.size() == 1) {
                fail(batch.get(0), failure);
                return;
            }
            // One bad item (a duplicate idempotency key) must not fail the others: commit one by one.
            for (Entry<T> entry : batch) {
                try {
                    commit.accept(List.of(entry.item()));
                    completions.execute(() -> entry.committed().complete(null));
                } catch (RuntimeException itemFailure) {
                    fail(entry, itemFailure);
                }
            }
        }
    }

    private void fail(Entry<T> entry, RuntimeException failure) {
        completions.execute(() -> entry.committed().completeExceptionally(failure));
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
