package dev.sofy.server.delivery;

import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A carrier that answers as a test scripts it. By default it is ready, accepts every SMS with one
 * part whose id is its name, '-' and the SMS id, and answers no queries.
 */
final class ScriptedCarrier implements CarrierConnector {
    private final String name;
    final List<OutboundSms> submitted = new CopyOnWriteArrayList<>();
    final Queue<Function<OutboundSms, CompletableFuture<SubmitResult>>> answers = new ConcurrentLinkedQueue<>();
    final AtomicInteger queries = new AtomicInteger();
    volatile Function<String, CompletableFuture<QueryAnswer>> queryAnswer = id -> CompletableFuture.failedFuture(
            new QueryUnsupportedException("this carrier answers no queries"));
    volatile boolean ready = true;
    volatile Consumer<CarrierEvent> events;
    /** How long {@link #start} takes, as a connector waiting for its first bind. */
    volatile Duration startTakes = Duration.ZERO;

    ScriptedCarrier(String name) {
        this.name = name;
    }

    /** A carrier that cannot take any SMS now, as with its link down. */
    static Function<OutboundSms, CompletableFuture<SubmitResult>> unavailable() {
        return sms -> CompletableFuture.failedFuture(new CarrierUnavailableException("throttled", null));
    }

    String idOf(String smsId) {
        return name + "-" + smsId;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void start(Consumer<CarrierEvent> events) {
        this.events = events;
        try {
            Thread.sleep(startTakes.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isReady() {
        return ready;
    }

    @Override
    public CompletableFuture<SubmitResult> submit(OutboundSms sms) {
        submitted.add(sms);
        Function<OutboundSms, CompletableFuture<SubmitResult>> answer = answers.poll();
        return answer != null ? answer.apply(sms)
                : CompletableFuture.completedFuture(new SubmitResult(List.of(idOf(sms.smsId()))));
    }

    @Override
    public CompletableFuture<QueryAnswer> query(String carrierMessageId, String from) {
        queries.incrementAndGet();
        return queryAnswer.apply(carrierMessageId);
    }

    @Override
    public void close() {}
}
