package dev.sofy.client;

import java.util.function.Consumer;

/**
 * The counters of a bulk run. Each change and the listener call it causes happen under one lock,
 * so the listener is called one change at a time and sees the counters in the order they moved.
 */
final class BulkProgressCounter {
    private final int total;
    private final Consumer<BulkProgress> listener;
    private int sent;
    private int failed;
    private int inFlight;
    private long retried;
    private long rateLimited;

    BulkProgressCounter(int total, Consumer<BulkProgress> listener) {
        this.total = total;
        this.listener = listener;
    }

    synchronized void requestStarted() {
        inFlight++;
        report();
    }

    synchronized void sent() {
        answered(1, 0);
    }

    synchronized void failed() {
        answered(0, 1);
    }

    /** An answer to a request that carried several SMS (a batch): so many sent, so many failed. */
    synchronized void answered(int sentCount, int failedCount) {
        inFlight--;
        sent += sentCount;
        failed += failedCount;
        report();
    }

    /** An answer that will be retried; {@code tooManyRequests} when it was a 429. */
    synchronized void retrying(boolean tooManyRequests) {
        inFlight--;
        retried++;
        if (tooManyRequests) {
            rateLimited++;
        }
        report();
    }

    synchronized BulkProgress snapshot() {
        return new BulkProgress(total, sent, failed, inFlight, retried, rateLimited);
    }

    private void report() {
        try {
            listener.accept(snapshot());
        } catch (RuntimeException listenerFailure) {
            // A broken progress bar must not cost an SMS its outcome: the failure goes where an
            // uncaught one would (printed, by default), and the run goes on.
            Thread thread = Thread.currentThread();
            thread.getUncaughtExceptionHandler().uncaughtException(thread, listenerFailure);
        }
    }
}
