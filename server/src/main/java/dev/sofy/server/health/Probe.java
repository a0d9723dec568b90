package dev.sofy.server.health;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * A call that may block (a query to a database that went away), answered within a timeout. A
 * call still running is joined rather than started again, so that a prober polling a stuck
 * database does not pile up threads waiting on the pool.
 */
final class Probe<T> {
    private final Supplier<T> call;
    private final Executor executor;
    private final AtomicReference<CompletableFuture<T>> running = new AtomicReference<>();

    Probe(Supplier<T> call, Executor executor) {
        this.call = call;
        this.executor = executor;
    }

    /** The call's result; throws {@link TimeoutException} when it takes longer, or the call's failure. */
    T answer(Duration timeout) throws TimeoutException, ExecutionException, InterruptedException {
        CompletableFuture<T> future = running.updateAndGet(
                current -> current != null && !current.isDone() ? current : CompletableFuture.supplyAsync(call, executor));
        return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }
}
