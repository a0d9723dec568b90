package dev.sofy.server.retention;

import dev.sofy.server.threads.DaemonThreads;
import dev.sofy.server.webhooks.WebhookService;
import dev.sofy.server.webhooks.WebhookStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the SMS whose final status is older than the retention, and the inbound SMS received
 * before then, on a thread of its own. Each transaction deletes at most {@link Settings#batch()}
 * SMS with their rows, then the job pauses: it commits beside the writer, never in its
 * transactions, so new SMS wait at most for one small delete at H2's store lock, and the rows it
 * deletes are ones the writer no longer touches. While the writer is backlogged it pauses longer.
 */
public final class Retention implements AutoCloseable {
    public static final int DEFAULT_DAYS = 90;
    public static final int MIN_DAYS = 1;
    public static final int MAX_DAYS = 3650;
    /** A run every minute: what passed retention meanwhile is a minute's traffic. */
    static final Duration RUN_EVERY = Duration.ofMinutes(1);
    private static final Logger LOG = LoggerFactory.getLogger(Retention.class);

    /**
     * @param batch SMS (or inbound SMS) deleted a transaction
     * @param pause between two transactions; ten times as long while {@code busy} says so
     */
    public record Settings(int batch, Duration pause) {
        public static Settings defaults() {
            return new Settings(500, Duration.ofMillis(50));
        }
    }

    /** What one run deleted. */
    public record Deleted(long sms, long inbound, long webhookEvents) {}

    private final RetentionStore store;
    private final WebhookStore webhooks;
    private final Clock clock;
    private final Duration kept;
    private final Settings settings;
    private final BooleanSupplier busy;
    private volatile boolean closing;
    private ScheduledExecutorService thread;

    /**
     * @param kept how long after its last status change an SMS (after its reception, an inbound SMS) is kept
     * @param busy whether ingest is backlogged, when the job should give way
     */
    public Retention(RetentionStore store, WebhookStore webhooks, Clock clock, Duration kept, Settings settings,
                     BooleanSupplier busy) {
        this.store = store;
        this.webhooks = webhooks;
        this.clock = clock;
        this.kept = kept;
        this.settings = settings;
        this.busy = busy;
    }

    /** Deletes everything past retention now, batch after batch; returns what it deleted. */
    public Deleted runOnce() throws InterruptedException {
        Instant cutoff = clock.instant().minus(kept);
        long sms = 0;
        int deleted;
        do {
            deleted = store.deleteFinalSmsBefore(cutoff, settings.batch());
            sms += deleted;
        } while (deleted == settings.batch() && paused());
        long inbound = 0;
        do {
            deleted = store.deleteInboundSmsBefore(cutoff, settings.batch());
            inbound += deleted;
        } while (deleted == settings.batch() && paused());
        // Finished webhook events are otherwise kept a week; with a shorter retention, they go with their SMS.
        long events = kept.compareTo(WebhookService.FINISHED_EVENTS_KEPT) < 0 && !closing
                ? webhooks.forgetFinishedBefore(cutoff) : 0;
        return new Deleted(sms, inbound, events);
    }

    /** Pauses between two transactions; false when the job is closing and should stop. */
    private boolean paused() throws InterruptedException {
        if (closing) {
            return false;
        }
        Duration pause = busy.getAsBoolean() ? settings.pause().multipliedBy(10) : settings.pause();
        if (!pause.isZero()) {
            Thread.sleep(pause.toMillis());
        }
        return !closing;
    }

    /** Runs every minute on a thread of its own. */
    public Retention start() {
        thread = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("sofy-retention"));
        thread.scheduleWithFixedDelay(this::runLogged, RUN_EVERY.toSeconds(), RUN_EVERY.toSeconds(), TimeUnit.SECONDS);
        return this;
    }

    /** Runs on a scheduled thread, which an exception would stop: none goes further than here. */
    private void runLogged() {
        try {
            Deleted deleted = runOnce();
            if (deleted.sms() + deleted.inbound() > 0) {
                LOG.info("Deleted {} SMS and {} inbound SMS past the retention of {} days", deleted.sms(),
                        deleted.inbound(), kept.toDays());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            if (!closing) {
                LOG.warn("Could not delete the SMS past retention; will try again", e);
            }
        }
    }

    /**
     * Stops after the transaction in progress (an interrupt during a read can close H2's file
     * channel under the writes still to come).
     */
    @Override
    public void close() throws InterruptedException {
        closing = true;
        if (thread != null) {
            thread.shutdown();
            if (!thread.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("The retention job was still running after 5 s; closing the database anyway");
            }
        }
    }
}
