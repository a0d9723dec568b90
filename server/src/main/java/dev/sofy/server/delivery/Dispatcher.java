package dev.sofy.server.delivery;

import dev.sofy.server.claims.ClaimLoop;
import dev.sofy.server.marketing.MarketingRules;
import dev.sofy.server.threads.DaemonThreads;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries pending SMS to the carriers and turns what they say into status changes.
 * New SMS due at once come {@linkplain Handoff handed over} as they commit, already leased to
 * this node; the others (scheduled, held, retried, or left by a node that stopped) it claims
 * from storage in batches (several nodes may share a database). It submits them, and records
 * {@code sent}, {@code errored} or a later retry; delivery receipts become {@code delivered} or
 * {@code undelivered}, and SMS whose validity ended are closed.
 *
 * <p>An SMS goes to the first ready carrier of its route. When that carrier cannot take it now
 * (link down, throttled, no answer in time), the next ready carrier of the route gets it at once,
 * under the same claim; when none can, it is tried again later, with backoff.
 *
 * <p>Delivery is at least once. An SMS is submitted again only if this node stopped between the
 * carrier's acceptance and the commit of {@code sent} (a few milliseconds, since {@code sent} is
 * recorded as soon as the carrier answers), or if its lease ended while it was still being
 * submitted (the lease is minutes, the submission milliseconds), or if a carrier that took it gave
 * no answer in time and the next carrier of its route took it too.
 */
public final class Dispatcher implements Handoff, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
    private static final Duration EXPIRY_CHECK = Duration.ofSeconds(1);

    /** How the dispatcher claims and retries. */
    public record Settings(String nodeId, int claimBatch, int maxInFlight, Duration lease, Duration idlePoll,
                           Duration firstRetryDelay, Duration maxRetryDelay) {
        public static Settings defaults(String nodeId) {
            return defaults(nodeId, Duration.ofMinutes(5));
        }

        /** With the claim lease of {@code SOFY_CLAIM_LEASE}. */
        public static Settings defaults(String nodeId, Duration lease) {
            return new Settings(nodeId, 500, 5_000, lease, Duration.ofMillis(200),
                    Duration.ofSeconds(1), Duration.ofMinutes(5));
        }
    }

    static final String OPTED_OUT = "recipient opted out";

    private final LifecycleStore store;
    private final List<CarrierConnector> carriers;
    private final Map<String, CarrierConnector> carriersByName;
    private final CarrierRouting routing;
    private final MarketingRules marketing;
    private final Consumer<CarrierEvent.InboundMessage> inbound;
    private final Clock clock;
    private final Settings settings;
    private final AtomicLong submitted = new AtomicLong();
    private final ScheduledExecutorService expiry;
    private final ClaimLoop<Claimed> loop;

    /** With one carrier, that takes every SMS. */
    public Dispatcher(LifecycleStore store, CarrierConnector connector, MarketingRules marketing,
                      Consumer<CarrierEvent.InboundMessage> inbound, Clock clock, Settings settings) {
        this(store, List.of(connector), sms -> List.of(connector.name()), marketing, inbound, clock, settings);
    }

    /**
     * @param carriers every carrier, with a unique name
     * @param routing names, for each SMS, carriers among {@code carriers}
     * @param marketing checked again at dispatch, since a window may have closed or a recipient
     *     opted out since the SMS was accepted
     * @param inbound told of messages from handsets (STOP replies)
     */
    public Dispatcher(LifecycleStore store, List<CarrierConnector> carriers, CarrierRouting routing,
                      MarketingRules marketing, Consumer<CarrierEvent.InboundMessage> inbound, Clock clock,
                      Settings settings) {
        this.store = store;
        this.carriers = List.copyOf(carriers);
        this.carriersByName = new LinkedHashMap<>();
        for (CarrierConnector carrier : carriers) {
            if (carriersByName.put(carrier.name(), carrier) != null) {
                throw new IllegalArgumentException("two carriers are named " + carrier.name());
            }
        }
        this.routing = routing;
        this.marketing = marketing;
        this.inbound = inbound;
        this.clock = clock;
        this.settings = settings;
        this.loop = new ClaimLoop<>("sofy-dispatcher", settings.claimBatch(), settings.maxInFlight(),
                settings.idlePoll(), this::claim, this::submit, LOG, "Could not claim pending SMS; trying again");
        this.expiry = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("sofy-expiry"));
    }

    public void start() {
        int recovered = store.releaseClaims(settings.nodeId(), now());
        if (recovered > 0) {
            LOG.info("Dispatching again {} SMS this node had claimed before it stopped", recovered);
        }
        startCarriers();
        loop.start();
        expiry.scheduleWithFixedDelay(this::expire, EXPIRY_CHECK.toMillis(), EXPIRY_CHECK.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Starts the carriers all at once: each may wait a few seconds for its first bind. */
    private void startCarriers() {
        if (carriers.size() == 1) {
            carriers.get(0).start(this::onEvent);
            return;
        }
        ExecutorService starting = Executors.newFixedThreadPool(carriers.size(), DaemonThreads.named("sofy-carrier-start"));
        try {
            CompletableFuture.allOf(carriers.stream()
                    .map(carrier -> CompletableFuture.runAsync(() -> carrier.start(this::onEvent), starting))
                    .toArray(CompletableFuture[]::new)).join();
        } finally {
            starting.shutdown();
        }
    }

    /** New SMS are waiting in storage: claim now rather than at the next poll. */
    public void nudge() {
        loop.nudge();
    }

    @Override
    public boolean reserve() {
        return loop.reserve();
    }

    @Override
    public void giveBack(int reserved) {
        loop.giveBack(reserved);
    }

    @Override
    public String nodeId() {
        return settings.nodeId();
    }

    @Override
    public Instant leaseUntil(Instant now) {
        return now.plus(settings.lease());
    }

    @Override
    public void handOver(List<Claimed> sms, int leftUnclaimed) {
        loop.handOver(sms);
        if (leftUnclaimed > 0) {
            loop.nudge();
        }
    }

    /** SMS handed to the carrier since start, counting retries. */
    public long submitted() {
        return submitted.get();
    }

    /** SMS claimed by this node and not yet recorded as sent, errored or retried. */
    public int inFlight() {
        return loop.inFlight();
    }

    private List<Claimed> claim(int max) {
        Instant now = now();
        return store.claimDue(settings.nodeId(), max, now, now.plus(settings.lease()));
    }

    private void submit(Claimed sms) {
        String text = sms.text();
        CompletableFuture<Transition> outcome;
        if (!sms.transactional() && sms.recipientOptedOut()) {
            outcome = CompletableFuture.completedFuture(new Transition.Errored(sms.smsId(), OPTED_OUT, now()));
        } else {
            MarketingRules.Outcome rules = marketing.apply(sms.to(), sms.transactional(), text, now());
            if (rules.heldUntil().isPresent()) {
                Instant until = rules.heldUntil().get();
                outcome = CompletableFuture.completedFuture(
                        new Transition.Held(sms.smsId(), until.truncatedTo(ChronoUnit.MICROS)));
            } else {
                outcome = submit(sms, rules.body());
            }
        }
        outcome.thenCompose(store::record)
                .whenComplete((recorded, failure) -> {
                    loop.release();
                    if (failure != null) {
                        // The lease ends and the SMS is claimed again: nothing is lost.
                        LOG.warn("Could not record what became of SMS {}", sms.smsId(), failure);
                    }
                });
    }

    private CompletableFuture<Transition> submit(Claimed sms, String text) {
        List<CarrierConnector> route;
        try {
            route = routing.carriersFor(sms).stream().map(carriersByName::get).filter(Objects::nonNull).toList();
        } catch (RuntimeException e) {
            LOG.warn("Could not route SMS {}; trying again later", sms.smsId(), e);
            route = List.of();
        }
        return submit(sms, new OutboundSms(sms.smsId(), sms.from(), sms.to(), text, sms.expiresAt()), route, 0);
    }

    /** Submits to the first ready carrier of {@code route} from {@code next} on, and to the following ones if it cannot. */
    private CompletableFuture<Transition> submit(Claimed sms, OutboundSms outbound, List<CarrierConnector> route,
                                                 int next) {
        int index = next;
        while (index < route.size() && !route.get(index).isReady()) {
            index++;
        }
        if (index == route.size()) {
            return CompletableFuture.completedFuture(
                    new Transition.RetryLater(sms.smsId(), now().plus(retryDelay(sms.attempts()))));
        }
        CarrierConnector carrier = route.get(index);
        int following = index + 1;
        submitted.incrementAndGet();
        CompletableFuture<SubmitResult> submission;
        try {
            submission = carrier.submit(outbound);
        } catch (RuntimeException e) {
            submission = CompletableFuture.failedFuture(e);
        }
        return submission.handle((result, failure) -> {
            Instant now = now();
            if (result != null) {
                return CompletableFuture.<Transition>completedFuture(
                        new Transition.Sent(sms.smsId(), carrier.name(), result.carrierMessageIds(), now));
            }
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            if (cause instanceof SubmitRejectedException rejected) {
                return CompletableFuture.<Transition>completedFuture(
                        new Transition.Errored(sms.smsId(), "rejected by the carrier: " + rejected.reason(), now));
            }
            if (cause instanceof CarrierUnavailableException) {
                LOG.debug("Carrier {} could not take SMS {} now: {}", carrier.name(), sms.smsId(), cause.getMessage());
            } else {
                LOG.warn("Unexpected failure submitting SMS {} to carrier {}", sms.smsId(), carrier.name(), cause);
            }
            return submit(sms, outbound, route, following);
        }).thenCompose(transition -> transition);
    }

    /** Exponential, with jitter so that SMS refused together do not come back together. */
    private Duration retryDelay(int attempts) {
        long first = settings.firstRetryDelay().toMillis();
        long capped = Math.min(settings.maxRetryDelay().toMillis(), first << Math.min(attempts, 20));
        return Duration.ofMillis(capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1));
    }

    /** Receipts are acknowledged to the carrier once this returns, so it returns once they are committed. */
    private void onEvent(CarrierEvent event) {
        if (event instanceof CarrierEvent.DeliveryReceipt receipt) {
            store.record(new Transition.Receipt(receipt)).join();
        } else if (event instanceof CarrierEvent.InboundMessage message) {
            inbound.accept(message);
        }
    }

    private void expire() {
        try {
            store.record(new Transition.Expire(now())).join();
        } catch (RuntimeException e) {
            LOG.warn("Could not close expired SMS; trying again", e);
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    /**
     * Stops claiming. The connectors belong to whoever made them; closing them afterwards fails what
     * it still holds, which is then recorded to be tried again.
     */
    @Override
    public void close() {
        loop.close();
        expiry.shutdownNow();
    }
}
