package dev.sofy.server.storage;

import dev.sofy.server.threads.DaemonThreads;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The one queue of writes on the hot paths: new SMS, their transitions, the outcomes of webhook
 * attempts and the clicks on short links commit together, a transaction for everything that
 * arrived while the previous one committed. One writer, not one a store, because an embedded
 * database commits one transaction at a time: two writers would take turns, each paying for a
 * commit. Each store registers the kinds of its writes ({@link WriteKind}) and queues them on the
 * {@link Lane} it gets back.
 */
public final class CommitQueue implements AutoCloseable {
    /**
     * The order in which a commit applies the kinds of write of its batch, each kind in the order
     * its writes were queued. Transitions come after the new SMS, so that a submission finds its
     * SMS; since they keep their order, a receipt is never applied before its submission. Clicks
     * come last, after the status changes of their batch. Cancels come after the transitions: a
     * cancel is about an SMS the dispatcher does not hold, whatever it recorded.
     */
    static final List<WriteKind<?>> COMMIT_ORDER = List.of(JdbiSmsStore.NEW_SMS, JdbiLifecycleStore.TRANSITIONS,
            JdbiSmsStore.CANCELS, JdbiWebhookStore.OUTCOMES, JdbiLinkStore.CLICKS);
    private static final int MAX_BATCH = 1_000;
    private static final int COMPLETION_THREADS = 4;

    private final Jdbi jdbi;
    private final Clock clock;
    private final ExecutorService completions;
    private final GroupCommitter<Queued<?>> committer;
    private final DistributionSummary batchSizes;
    private final Timer commitDurations;
    /** The lanes registered, in commit order; replaced as a whole when one is added. */
    private volatile List<Lane<?>> lanes = List.of();

    /**
     * The writes of one kind a store queues. Before each commit the writer sorts the batch it
     * drained into the lanes, then applies each lane's share; only the writer touches that share.
     */
    final class Lane<W> {
        private final WriteKind<W> kind;
        private final List<W> batch = new ArrayList<>();
        /** Writes submitted and not yet committed or failed. */
        private final AtomicInteger awaitingCommit = new AtomicInteger();

        private Lane(WriteKind<W> kind) {
            this.kind = kind;
        }

        /** Completes once the write is committed (on a pool, never on the writer). */
        CompletableFuture<Void> submit(W write) {
            return submit(write, 1);
        }

        /**
         * As {@link #submit(Object)}, for a write that counts as {@code weight} in
         * {@link #awaitingCommit} (a batch of SMS counts as its SMS).
         */
        CompletableFuture<Void> submit(W write, int weight) {
            var queued = new Queued<>(this, write, weight);
            awaitingCommit.addAndGet(weight);
            committer.submit(queued);
            return queued.committed;
        }

        private void apply(Handle handle, Instant now) {
            if (!batch.isEmpty()) {
                kind.apply(handle, batch, now);
            }
        }
    }

    /** A write in the queue, with its lane and what its submitter waits on. */
    private static final class Queued<W> implements GroupCommitter.Entry {
        private final Lane<W> lane;
        private final W write;
        private final int weight;
        private final CompletableFuture<Void> committed = new CompletableFuture<>();

        Queued(Lane<W> lane, W write, int weight) {
            this.lane = lane;
            this.write = write;
            this.weight = weight;
        }

        void sortIntoLane() {
            lane.batch.add(write);
        }

        @Override
        public void committed() {
            lane.awaitingCommit.addAndGet(-weight);
            committed.complete(null);
        }

        @Override
        public void failed(RuntimeException failure) {
            lane.awaitingCommit.addAndGet(-weight);
            committed.completeExceptionally(failure);
        }
    }

    /** A queue whose commits are not measured. */
    public CommitQueue(Jdbi jdbi, Clock clock) {
        this(jdbi, clock, new CompositeMeterRegistry());
    }

    /** A queue that measures its commits in {@code metrics}: how many writes each carries and how long it takes. */
    public CommitQueue(Jdbi jdbi, Clock clock, MeterRegistry metrics) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.batchSizes = DistributionSummary.builder("sofy.commit.batch.size")
                .description("Writes committed together in one transaction of the group commit")
                .register(metrics);
        this.commitDurations = Timer.builder("sofy.commit.duration")
                .description("Time to apply and commit one transaction of the group commit")
                .register(metrics);
        this.completions = Executors.newFixedThreadPool(COMPLETION_THREADS, DaemonThreads.named("sofy-committed"));
        this.committer = new GroupCommitter<>("sofy-writer", MAX_BATCH, completions, this::commit);
    }

    /** A lane for writes of {@code kind}; lanes of one kind are applied in the order they were registered. */
    synchronized <W> Lane<W> register(WriteKind<W> kind) {
        int place = placeOf(kind);
        if (place < 0) {
            throw new IllegalArgumentException(kind + " has no place in the commit order");
        }
        List<Lane<?>> registered = new ArrayList<>(lanes);
        int at = 0;
        while (at < registered.size() && placeOf(registered.get(at).kind) <= place) {
            at++;
        }
        var lane = new Lane<>(kind);
        registered.add(at, lane);
        lanes = List.copyOf(registered);
        return lane;
    }

    /** A kind's place is its class's: a store may register its own instance (with its own counters). */
    private static int placeOf(WriteKind<?> kind) {
        for (int place = 0; place < COMMIT_ORDER.size(); place++) {
            if (COMMIT_ORDER.get(place).getClass() == kind.getClass()) {
                return place;
            }
        }
        return -1;
    }

    /**
     * How many new SMS wait for their commit: many means that the writer is the bottleneck, and
     * what can wait (webhooks) should.
     */
    public int newSmsAwaitingCommit() {
        return awaitingCommit(JdbiSmsStore.NEW_SMS);
    }

    /** Whether the writer runs: without it, no SMS can be committed. */
    public boolean writing() {
        return committer.running();
    }

    int awaitingCommit(WriteKind<?> kind) {
        int awaiting = 0;
        for (Lane<?> lane : lanes) {
            if (lane.kind.getClass() == kind.getClass()) {
                awaiting += lane.awaitingCommit.get();
            }
        }
        return awaiting;
    }

    /** On the writer: applies the batch, lane after lane, in one transaction. */
    private void commit(List<Queued<?>> batch) {
        for (Queued<?> queued : batch) {
            queued.sortIntoLane();
        }
        List<Lane<?>> registered = lanes;
        long started = System.nanoTime();
        try {
            Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
            jdbi.useTransaction(handle -> {
                for (Lane<?> lane : registered) {
                    lane.apply(handle, now);
                }
            });
            batchSizes.record(batch.size());
            commitDurations.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        } finally {
            for (Lane<?> lane : registered) {
                lane.batch.clear();
            }
        }
    }

    /** Commits what is queued, then stops. */
    @Override
    public void close() {
        committer.close();
        completions.shutdown();
        try {
            completions.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
