package dev.sofy.server.health;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * Readiness: the server can take SMS when the database answers within a second, the writer that
 * commits them runs, and it is not stopping. Carrier links and the webhook outbox are reported
 * too, without making it unready: SMS and events wait for them.
 */
public final class HealthChecks {
    /** How long the database has to answer. */
    public static final Duration DATABASE_TIMEOUT = Duration.ofSeconds(1);
    /** The outbox is counted up to this many events: enough to tell a backlog, and still cheap. */
    public static final long OUTBOX_COUNT_CAP = 10_000;
    /** Driver messages can be long; a probe's answer stays short. */
    private static final int MAX_REASON_LENGTH = 300;

    /** A link to a carrier, by a name an operator recognizes (its SMSC's address). */
    public record CarrierLink(String name, BooleanSupplier bound) {}

    private final Probe<Long> ping;
    private final Probe<Long> outbox;
    private final BooleanSupplier writerRunning;
    private final BooleanSupplier stopping;
    private final List<CarrierLink> carrierLinks;

    public HealthChecks(DatabaseProbes database, BooleanSupplier writerRunning, BooleanSupplier stopping,
                        List<CarrierLink> carrierLinks, Executor probes) {
        this.ping = new Probe<>(() -> {
            long started = System.nanoTime();
            database.ping();
            return Duration.ofNanos(System.nanoTime() - started).toMillis();
        }, probes);
        this.outbox = new Probe<>(() -> database.outboxBacklog(OUTBOX_COUNT_CAP), probes);
        this.writerRunning = writerRunning;
        this.stopping = stopping;
        this.carrierLinks = List.copyOf(carrierLinks);
    }

    public Readiness readiness() {
        List<Check> checks = new ArrayList<>();
        checks.add(stopping.getAsBoolean() ? Check.down("stopping", true, "the server is stopping")
                : Check.up("stopping", true, "the server is not stopping"));
        checks.add(database());
        checks.add(writerRunning.getAsBoolean() ? Check.up("writer", true, "the commit queue's writer is running")
                : Check.down("writer", true, "the commit queue's writer is not running"));
        for (CarrierLink link : carrierLinks) {
            String name = "carrier:" + link.name();
            checks.add(link.bound().getAsBoolean() ? Check.up(name, false, "bound")
                    : Check.down(name, false, "not bound; SMS wait until the link is up again"));
        }
        checks.add(webhookOutbox());
        return new Readiness(checks);
    }

    private Check database() {
        try {
            return Check.up("database", true, "answered in " + ping.answer(DATABASE_TIMEOUT) + " ms");
        } catch (TimeoutException e) {
            return Check.down("database", true, "no answer within " + DATABASE_TIMEOUT.toMillis() + " ms");
        } catch (ExecutionException e) {
            return Check.down("database", true, "failed: " + clipped(e.getCause().getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Check.down("database", true, "interrupted");
        }
    }

    private Check webhookOutbox() {
        String name = "webhookOutbox";
        try {
            long backlog = outbox.answer(DATABASE_TIMEOUT);
            String counted = backlog >= OUTBOX_COUNT_CAP ? "at least " + OUTBOX_COUNT_CAP : Long.toString(backlog);
            return new Check(name, true, false, counted + " events waiting for delivery", backlog);
        } catch (TimeoutException e) {
            return Check.down(name, false, "not counted within " + DATABASE_TIMEOUT.toMillis() + " ms");
        } catch (ExecutionException e) {
            return Check.down(name, false, "not counted: " + clipped(e.getCause().getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Check.down(name, false, "interrupted");
        }
    }

    private static String clipped(String reason) {
        if (reason == null) {
            return "no reason given";
        }
        return reason.length() <= MAX_REASON_LENGTH ? reason : reason.substring(0, MAX_REASON_LENGTH - 1) + "…";
    }
}
