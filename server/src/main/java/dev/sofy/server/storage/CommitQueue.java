package dev.sofy.server.storage;

import dev.sofy.server.delivery.Transition;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;

/**
 * The one queue of writes on the hot paths: new SMS, their transitions, the outcomes of webhook
 * attempts and the clicks on short links commit together, a transaction for everything that
 * arrived while the previous one committed. One writer, not one a store, because an embedded
 * database commits one transaction at a time: two writers would take turns, each paying for a
 * commit. Transitions come after the new SMS of their batch, and in the order they were queued,
 * so a receipt is never applied before its submission. Clicks come last, after the status changes of their batch.
 */
public final class CommitQueue implements AutoCloseable {
    private static final int MAX_BATCH = 1_000;
    private static final int COMPLETION_THREADS = 4;

    private final ExecutorService completions;
    private final GroupCommitter<Object> committer;

    public CommitQueue(Jdbi jdbi, Clock clock) {
        this.completions = Executors.newFixedThreadPool(COMPLETION_THREADS, runnable -> {
            var thread = new Thread(runnable, "sofy-committed");
            thread.setDaemon(true);
            return thread;
        });
        this.committer = new GroupCommitter<>("sofy-writer", MAX_BATCH, completions, batch -> {
            List<JdbiSmsStore.NewSms> sms = new ArrayList<>();
            List<Transition> transitions = new ArrayList<>();
            List<JdbiWebhookStore.Outcome> webhookOutcomes = new ArrayList<>();
            List<JdbiLinkStore.Click> clicks = new ArrayList<>();
            for (Object item : batch) {
                if (item instanceof JdbiSmsStore.NewSms newSms) {
                    sms.add(newSms);
                } else if (item instanceof JdbiWebhookStore.Outcome outcome) {
                    webhookOutcomes.add(outcome);
                } else if (item instanceof JdbiLinkStore.Click click) {
                    clicks.add(click);
                } else {
                    transitions.add((Transition) item);
                }
            }
            Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
            jdbi.useTransaction(handle -> {
                JdbiSmsStore.insertAll(handle, sms);
                JdbiLifecycleStore.applyAll(handle, transitions, now);
                JdbiWebhookStore.applyOutcomes(handle, webhookOutcomes);
                JdbiLinkStore.countAll(handle, clicks);
            });
        });
    }

    /** Completes once the item is committed (its future completes on a pool, never on the writer). */
    CompletableFuture<Void> submit(Object item) {
        return committer.submit(item);
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
