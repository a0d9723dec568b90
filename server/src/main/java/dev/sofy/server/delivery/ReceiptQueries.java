package dev.sofy.server.delivery;

import dev.sofy.server.threads.DaemonThreads;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the carriers about parts whose receipt has not come (SMPP query_sm), so that a lost
 * receipt does not leave an SMS {@code sent} until its validity ends. A part is asked about once
 * it has waited {@code after} since it was sent, and again every {@code after} while the carrier
 * says it is still en route. A final answer is recorded as its receipt would have been. A
 * carrier that does not answer queries is not asked again by this process.
 */
public final class ReceiptQueries implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReceiptQueries.class);
    private static final int BATCH = 200;
    private static final Duration ANSWER_WAIT = Duration.ofSeconds(30);

    private final LifecycleStore store;
    private final Map<String, CarrierConnector> carriers = new LinkedHashMap<>();
    private final Duration after;
    private final Clock clock;
    private final Set<String> unsupported = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer;

    public ReceiptQueries(LifecycleStore store, List<CarrierConnector> carriers, Duration after, Clock clock) {
        this.store = store;
        carriers.forEach(carrier -> this.carriers.put(carrier.name(), carrier));
        this.after = after;
        this.clock = clock;
        this.timer = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("sofy-receipt-queries"));
    }

    /** Looks for parts to ask about every tenth of {@code after}, within a second and a minute. */
    public void start() {
        long every = Math.max(1_000, Math.min(60_000, after.toMillis() / 10));
        timer.scheduleWithFixedDelay(() -> {
            try {
                while (askDue() == BATCH) {
                    // A full batch: there may be more waiting.
                }
            } catch (RuntimeException e) {
                LOG.warn("Could not ask the carriers about SMS without receipt; trying again", e);
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    /** Asks about one batch of the parts due now and records the final answers; returns the parts asked about. */
    public int askDue() {
        List<String> askable = carriers.values().stream()
                .filter(carrier -> !unsupported.contains(carrier.name()) && carrier.isReady())
                .map(CarrierConnector::name)
                .toList();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        List<AwaitedReceipt> parts = store.awaitingReceipts(askable, now.minus(after), BATCH);
        if (parts.isEmpty()) {
            return 0;
        }
        // Marked before asking: a part whose answer is lost is asked again later, not at once.
        store.markQueried(parts, now);
        List<CompletableFuture<Void>> answered = new ArrayList<>();
        for (AwaitedReceipt part : parts) {
            answered.add(ask(part));
        }
        try {
            CompletableFuture.allOf(answered.toArray(CompletableFuture[]::new))
                    .get(ANSWER_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warn("Carriers did not answer about {} parts within {}; they will be asked again", parts.size(),
                    ANSWER_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            LOG.warn("Could not record what carriers answered about parts without receipt", e.getCause());
        }
        return parts.size();
    }

    private CompletableFuture<Void> ask(AwaitedReceipt part) {
        CarrierConnector carrier = carriers.get(part.carrier());
        if (carrier == null || unsupported.contains(part.carrier())) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<QueryAnswer> answer;
        try {
            answer = carrier.query(part.carrierMessageId(), part.from());
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        return answer.handle((found, failure) -> {
            if (found != null) {
                return found.outcome()
                        .map(outcome -> store.record(new Transition.Receipt(new CarrierEvent.DeliveryReceipt(
                                part.carrier(), part.carrierMessageId(), outcome, found.errorCode(), found.doneAt()))))
                        .orElseGet(() -> CompletableFuture.completedFuture(null));
            }
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            if (cause instanceof QueryUnsupportedException) {
                if (unsupported.add(part.carrier())) {
                    LOG.info("Carrier {} does not answer query_sm; SMS it took wait for their receipts only",
                            part.carrier());
                }
            } else {
                LOG.debug("Could not ask carrier {} about {}: {}", part.carrier(), part.carrierMessageId(),
                        String.valueOf(cause));
            }
            return CompletableFuture.<Void>completedFuture(null);
        }).thenCompose(recorded -> recorded);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
