package dev.sofy.server.storage;

import dev.sofy.server.sms.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;

/**
 * {@code sofy_sms_status_changes_total} by {@code status}: the status changes the dispatcher's
 * transitions committed ({@code sent}, {@code delivered}, {@code undelivered}, {@code errored}).
 * New SMS ({@code pending}) are {@code sofy_sms_accepted_total}. One counter a status, made once.
 */
public final class StatusChangeCounters {
    /** Counts nothing: a registry with no backend records nothing. */
    static final StatusChangeCounters UNCOUNTED = new StatusChangeCounters(new CompositeMeterRegistry());

    private final Counter[] byStatus = new Counter[Status.values().length];

    public StatusChangeCounters(MeterRegistry registry) {
        for (Status status : Status.values()) {
            if (status != Status.PENDING) {
                byStatus[status.ordinal()] = Counter.builder("sofy.sms.status.changes")
                        .description("SMS status changes committed, by the status reached")
                        .tag("status", status.wireName())
                        .register(registry);
            }
        }
    }

    void add(Tally tally) {
        for (int i = 0; i < byStatus.length; i++) {
            if (tally.counts[i] > 0 && byStatus[i] != null) {
                byStatus[i].increment(tally.counts[i]);
            }
        }
    }

    /** The status changes of one transaction, counted once it commits. */
    static final class Tally {
        private final int[] counts = new int[Status.values().length];

        void add(Status status, int count) {
            counts[status.ordinal()] += count;
        }

        boolean isEmpty() {
            for (int count : counts) {
                if (count > 0) {
                    return false;
                }
            }
            return true;
        }
    }
}
