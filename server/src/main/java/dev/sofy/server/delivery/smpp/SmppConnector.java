package dev.sofy.server.delivery.smpp;

import dev.sofy.server.delivery.CarrierConnector;
import dev.sofy.server.delivery.CarrierEvent;
import dev.sofy.server.delivery.CarrierUnavailableException;
import dev.sofy.server.delivery.OutboundSms;
import dev.sofy.server.delivery.QueryAnswer;
import dev.sofy.server.delivery.QueryUnsupportedException;
import dev.sofy.server.delivery.SubmitRejectedException;
import dev.sofy.server.delivery.SubmitResult;
import dev.sofy.server.sms.Segments;
import dev.sofy.server.threads.DaemonThreads;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jsmpp.GenericNackResponseException;
import org.jsmpp.InvalidResponseException;
import org.jsmpp.PDUException;
import org.jsmpp.SMPPConstant;
import org.jsmpp.bean.AlertNotification;
import org.jsmpp.bean.BindType;
import org.jsmpp.bean.DataCodings;
import org.jsmpp.bean.DataSm;
import org.jsmpp.bean.DeliverSm;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.GSMSpecificFeature;
import org.jsmpp.bean.MessageMode;
import org.jsmpp.bean.MessageState;
import org.jsmpp.bean.MessageType;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.SMSCDeliveryReceipt;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.extra.NegativeResponseException;
import org.jsmpp.extra.ProcessRequestException;
import org.jsmpp.extra.ResponseTimeoutException;
import org.jsmpp.extra.SessionState;
import org.jsmpp.session.BindParameter;
import org.jsmpp.session.DataSmResult;
import org.jsmpp.session.MessageReceiverListener;
import org.jsmpp.session.QuerySmResult;
import org.jsmpp.session.Session;
import org.jsmpp.session.SessionStateListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link CarrierConnector} that binds to an SMSC as an SMPP 3.4 transceiver, with jsmpp, over
 * {@link SmppSettings#binds()} sessions.
 *
 * <p>jsmpp's submit_sm is blocking, so each session's window is a set of sender threads, one per
 * outstanding submit_sm. The senders of every session take parts from one queue, so submits
 * spread over the sessions that are bound, and one {@link SubmitPacer} holds them all to the
 * carrier's submit rate. Each SMS is split by {@link Segments}; a long one goes as concatenated
 * parts (UDH, IEI 0x00), maybe over several sessions, and its future completes once every part
 * was accepted. Every part asks for a final delivery receipt.
 *
 * <p>Each session rebinds on its own, with exponential backoff, when its link drops; the
 * connector is bound while any session is. Whatever a lost session was sending fails with
 * {@link CarrierUnavailableException}, and so does whatever is queued once no session is left.
 * A submit that timed out may still have reached the SMSC, so retrying it can send it twice:
 * SMPP cannot tell.
 *
 * <p>When the SMSC cannot take a part now (ESME_RTHROTTLED or ESME_RMSGQFUL) the part fails with
 * {@link CarrierUnavailableException}. When it asks the ESME to slow down (ESME_RTHROTTLED: about
 * the whole link's rate, where a full queue may be one destination's) the carrier also backs
 * off: {@link #isReady()} is false for {@value #THROTTLE_BACKOFF_MIN_SECONDS} s, doubling with each throttling up to
 * {@value #THROTTLE_BACKOFF_MAX_SECONDS} s, until a submit is accepted again. The connector
 * itself keeps its pace: readiness is what the dispatcher routes by, so other carriers take the
 * traffic meanwhile, and throttling by one SMSC never slows another.
 *
 * <p>{@link #query} sends query_sm. A carrier that answers it with generic_nack or an error
 * status other than ESME_RQUERYFAIL does not support it, and is not asked again.
 *
 * <p>A receipt can reach the listener before the future of its submit completed: an SMSC may
 * deliver the receipt right after its submit_sm_resp, and both are handled on jsmpp's threads.
 * Match receipts by carrier message id where they are stored, not in memory.
 */
public final class SmppConnector implements CarrierConnector {
    private static final Logger log = LoggerFactory.getLogger(SmppConnector.class);
    private static final RegisteredDelivery FINAL_RECEIPT = new RegisteredDelivery(SMSCDeliveryReceipt.SUCCESS_FAILURE);
    private static final ESMClass PLAIN = new ESMClass();
    private static final ESMClass CONCATENATED =
            new ESMClass(MessageMode.DEFAULT, MessageType.DEFAULT, GSMSpecificFeature.UDHI);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** How long {@link #start} waits for the first binds before leaving them to the background. */
    private static final Duration FIRST_BIND_WAIT = Duration.ofSeconds(3);
    /** How long closing waits for unbind_resp; unbinding is a courtesy. */
    static final Duration UNBIND_TIMEOUT = Duration.ofSeconds(1);
    static final int THROTTLE_BACKOFF_MIN_SECONDS = 1;
    static final int THROTTLE_BACKOFF_MAX_SECONDS = 30;
    /** Incoming PDUs jsmpp may hold before it answers deliver_sm with ESME_RTHROTTLED. */
    private static final int RECEIVE_QUEUE = 1000;
    /**
     * Threads that handle incoming PDUs. A receipt is acknowledged only once it is committed, so
     * each thread waits for a group commit, and the receipt rate is at most threads / commit time:
     * commits take up to about 100 ms under load, when receipts must keep up with ingest (2,560 a
     * second with 256 threads; 128 fall behind). Parked threads cost little.
     */
    private static final int RECEIVE_THREADS = 256;
    /** query_sm waiting for their answer at once; queries are rare, for SMS long without receipt. */
    private static final int QUERY_THREADS = 4;

    private final SmppSettings settings;
    private final SubmitPacer pacer;
    private final ScheduledExecutorService linkKeeper;
    private final ExecutorService queries =
            Executors.newFixedThreadPool(QUERY_THREADS, DaemonThreads.numbered("smpp-query"));
    private final AtomicInteger references = new AtomicInteger(ThreadLocalRandom.current().nextInt(256));
    private final Object lifecycle = new Object();
    private final List<Bind> binds;
    /** Parts waiting for a free slot in the window of any session. */
    private final BlockingQueue<Part> queue = new LinkedBlockingQueue<>();
    private volatile Consumer<CarrierEvent> events;
    private volatile boolean closed;
    private volatile boolean querySupported = true;
    private final Object throttling = new Object();
    /** System.nanoTime() until which the carrier backs off; guarded by {@link #throttling} for writes. */
    private volatile long throttledUntil;
    private volatile boolean throttled;
    private Duration throttleBackoff = Duration.ofSeconds(THROTTLE_BACKOFF_MIN_SECONDS);
    private final Counter acceptedSubmits;
    private final Counter rejectedSubmits;
    private final Counter throttledSubmits;
    private final Counter failedSubmits;
    private final Timer submitDurations;
    private final Counter[] receipts = new Counter[CarrierEvent.Outcome.values().length];

    /** A connector whose work is not measured. */
    public SmppConnector(SmppSettings settings) {
        this(settings, new CompositeMeterRegistry());
    }

    /**
     * A connector that measures in {@code metrics}, tagged with the carrier's name, whether it is
     * bound and how many of its sessions are, its submit_sm by outcome and round trip, and the
     * receipts it received by outcome.
     */
    public SmppConnector(SmppSettings settings, MeterRegistry metrics) {
        this.settings = Objects.requireNonNull(settings);
        String carrier = settings.name();
        Gauge.builder("sofy.carrier.bound", this, connector -> connector.isBound() ? 1 : 0)
                .description("1 while a link to the carrier is bound, ready to take submissions; 0 otherwise")
                .tag("carrier", carrier)
                .strongReference(true)
                .register(metrics);
        Gauge.builder("sofy.carrier.sessions", this, SmppConnector::boundSessions)
                .description("Sessions bound to the carrier's SMSC, of the binds it is configured with")
                .tag("carrier", carrier)
                .strongReference(true)
                .register(metrics);
        this.acceptedSubmits = submits(metrics, carrier, "accepted");
        this.rejectedSubmits = submits(metrics, carrier, "rejected");
        this.throttledSubmits = submits(metrics, carrier, "throttled");
        this.failedSubmits = submits(metrics, carrier, "error");
        this.submitDurations = Timer.builder("sofy.carrier.submit.duration")
                .description("Round trip of a submit_sm to the carrier, until its response or failure")
                .tag("carrier", carrier)
                .register(metrics);
        for (CarrierEvent.Outcome outcome : CarrierEvent.Outcome.values()) {
            receipts[outcome.ordinal()] = Counter.builder("sofy.carrier.receipts")
                    .description("Delivery receipts received from the carrier, by what they say of a part")
                    .tag("carrier", carrier)
                    .tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
                    .register(metrics);
        }
        this.pacer = new SubmitPacer(settings.submitRate());
        this.linkKeeper = Executors.newScheduledThreadPool(settings.binds(), DaemonThreads.numbered("smpp-link"));
        List<Bind> sessions = new ArrayList<>(settings.binds());
        for (int i = 0; i < settings.binds(); i++) {
            sessions.add(new Bind(i + 1));
        }
        this.binds = List.copyOf(sessions);
        this.throttledUntil = System.nanoTime();
    }

    public SmppSettings settings() {
        return settings;
    }

    @Override
    public String name() {
        return settings.name();
    }

    /** Bound, and not backing off after the SMSC asked to slow down. */
    @Override
    public boolean isReady() {
        return isBound() && !isBackingOff();
    }

    /** Whether the SMSC asked to slow down lately, and no submit was accepted since. */
    public boolean isBackingOff() {
        return throttled && System.nanoTime() - throttledUntil < 0;
    }

    /**
     * Asks with query_sm, on any bound session. The answer's message_state gives the outcome:
     * DELIVERED is delivered; UNDELIVERABLE, REJECTED and DELETED are undelivered; EXPIRED is
     * expired; ENROUTE, ACCEPTED, SCHEDULED, UNKNOWN and SKIPPED leave it open. ESME_RQUERYFAIL
     * leaves it open too: the SMSC answers queries but does not know this message (an SMSC
     * forgets messages after a while), which says nothing of whether it answers the next one; the
     * SMS then ends with its validity period. generic_nack, or any other error status, means the
     * carrier does not support query_sm, and it is not asked again.
     */
    @Override
    public CompletableFuture<QueryAnswer> query(String carrierMessageId, String from) {
        Objects.requireNonNull(carrierMessageId, "carrierMessageId");
        if (!querySupported) {
            return CompletableFuture.failedFuture(
                    new QueryUnsupportedException("carrier " + name() + " does not answer query_sm"));
        }
        SmppAddress source = SmppAddress.sender(from);
        Link link = anyBoundLink();
        if (link == null) {
            return CompletableFuture.failedFuture(unavailable("not bound to the SMSC at " + address(), null));
        }
        try {
            return CompletableFuture.supplyAsync(() -> link.query(carrierMessageId, source), queries);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(unavailable("the connector is closed", e));
        }
    }

    /** Binds every session, waiting a few seconds for them; binding goes on in the background for those that fail. */
    @Override
    public void start(Consumer<CarrierEvent> events) {
        Objects.requireNonNull(events, "events");
        synchronized (lifecycle) {
            if (closed) {
                throw new IllegalStateException("the connector is closed");
            }
            if (this.events != null) {
                throw new IllegalStateException("the connector is already started");
            }
            this.events = events;
        }
        List<Future<?>> firstBinds = new ArrayList<>();
        for (Bind bind : binds) {
            firstBinds.add(linkKeeper.submit(bind::bind));
        }
        long deadline = System.nanoTime() + FIRST_BIND_WAIT.toNanos();
        try {
            for (Future<?> firstBind : firstBinds) {
                firstBind.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (TimeoutException e) {
            log.warn("Carrier {}: not every session is bound to the SMSC at {} yet; still trying", name(), address());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException("binding failed unexpectedly", e.getCause());
        }
    }

    /** Whether a bound session is up, ready to take submissions. */
    public boolean isBound() {
        return anyBoundLink() != null;
    }

    /** The sessions bound now. */
    public int boundSessions() {
        int bound = 0;
        for (Bind bind : binds) {
            Link link = bind.link;
            if (link != null && !link.isLost()) {
                bound++;
            }
        }
        return bound;
    }

    private Link anyBoundLink() {
        // from a random session, so that queries spread too
        int first = ThreadLocalRandom.current().nextInt(binds.size());
        for (int i = 0; i < binds.size(); i++) {
            Link link = binds.get((first + i) % binds.size()).link;
            if (link != null && !link.isLost()) {
                return link;
            }
        }
        return null;
    }

    /** Waits until bound, for at most {@code timeout}; returns whether it is bound. */
    public boolean awaitBound(Duration timeout) throws InterruptedException {
        return awaitBoundSessions(1, timeout);
    }

    /** Waits until {@code sessions} sessions are bound, for at most {@code timeout}; returns whether they are. */
    public boolean awaitBoundSessions(int sessions, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (boundSessions() < sessions) {
            if (System.nanoTime() - deadline >= 0 || closed) {
                return false;
            }
            TimeUnit.MILLISECONDS.sleep(5);
        }
        return true;
    }

    /** Parts waiting for a free slot in the window; {@link #submit} queues without bound. */
    public int queuedParts() {
        return queue.size();
    }

    /**
     * {@code sofy_carrier_submits_total} by {@code outcome}: each submit_sm (one per part), and each
     * SMS refused before any was sent ({@code rejected} when unsendable, {@code error} when not bound).
     */
    private static Counter submits(MeterRegistry metrics, String carrier, String outcome) {
        return Counter.builder("sofy.carrier.submits")
                .description("Submissions to the carrier, by outcome")
                .tag("carrier", carrier)
                .tag("outcome", outcome)
                .register(metrics);
    }

    @Override
    public CompletableFuture<SubmitResult> submit(OutboundSms sms) {
        Segments segments;
        SmppAddress source;
        SmppAddress destination;
        try {
            segments = Segments.of(sms.text());
            source = SmppAddress.sender(sms.from());
            destination = SmppAddress.recipient(sms.to());
        } catch (IllegalArgumentException e) {
            rejectedSubmits.increment();
            return CompletableFuture.failedFuture(new SubmitRejectedException("unsendable", e.getMessage()));
        }
        if (!isBound()) {
            failedSubmits.increment();
            return CompletableFuture.failedFuture(unavailable("not bound to the SMSC at " + address(), null));
        }
        var parts = ShortMessages.of(segments, references.getAndIncrement() & 0xFF);
        var submission = new Submission(sms, source, destination, parts);
        queue.addAll(submission.parts);
        if (!isBound()) {
            failQueued("the link to the SMSC dropped"); // the last session was lost meanwhile
        }
        return submission.result;
    }

    /**
     * Stops taking submissions, fails those not yet sent, gives those sent up to the response
     * timeout to be answered, then unbinds. Every submission is settled, its callbacks run, by the
     * time this returns.
     */
    @Override
    public void close() {
        List<Link> links = new ArrayList<>();
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            for (Bind bind : binds) {
                Link link = bind.link;
                bind.link = null;
                if (link != null) {
                    links.add(link);
                }
            }
        }
        linkKeeper.shutdownNow();
        try {
            // a bind in progress notices the close and unbinds; wait for it, within reason
            linkKeeper.awaitTermination(UNBIND_TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Link link : links) {
            link.closing = true;
        }
        failQueued("the connector is closing");
        for (Link link : links) {
            link.closeGracefully();
        }
        queries.shutdownNow();
        if (!links.isEmpty()) {
            log.info("Carrier {}: unbound from the SMSC at {}", name(), address());
        }
    }

    private String address() {
        return settings.host() + ":" + settings.port();
    }

    private void failQueued(String reason) {
        Part part;
        while ((part = queue.poll()) != null) {
            part.submission.failed(unavailable(reason, null));
        }
    }

    /** The SMSC asked to slow down: not ready for a while, longer each time until a submit is accepted. */
    private void throttledBySmsc() {
        synchronized (throttling) {
            Duration backoff = throttleBackoff;
            throttledUntil = System.nanoTime() + backoff.toNanos();
            throttled = true;
            Duration doubled = backoff.multipliedBy(2);
            Duration max = Duration.ofSeconds(THROTTLE_BACKOFF_MAX_SECONDS);
            throttleBackoff = doubled.compareTo(max) > 0 ? max : doubled;
            log.info("Carrier {} asked to slow down; backing off for {} ms", name(), backoff.toMillis());
        }
    }

    private void submitAccepted() {
        if (!throttled) {
            return;
        }
        synchronized (throttling) {
            throttled = false;
            throttleBackoff = Duration.ofSeconds(THROTTLE_BACKOFF_MIN_SECONDS);
        }
    }

    /** One of the carrier's sessions: binds it, and binds it again whenever its link is lost. */
    private final class Bind {
        final int number;
        volatile Link link;
        /** Only touched by this session's bind attempts, which never overlap. */
        Duration backoff = settings.reconnectBackoffMin();

        Bind(int number) {
            this.number = number;
        }

        void bind() {
            if (closed) {
                return;
            }
            var candidate = new Link(this);
            try {
                candidate.session.connectAndBind(settings.host(), settings.port(),
                        new BindParameter(BindType.BIND_TRX, settings.systemId(), settings.password(), "",
                                TypeOfNumber.UNKNOWN, NumberingPlanIndicator.UNKNOWN, null),
                        settings.responseTimeout().toMillis());
            } catch (IOException e) {
                candidate.session.close();
                log.warn("Carrier {}: session {} could not bind to the SMSC at {}: {}; trying again in {} ms",
                        name(), number, address(), e.getMessage(), backoff.toMillis());
                scheduleBind();
                return;
            }
            candidate.startSenders();
            boolean closedMeanwhile;
            synchronized (lifecycle) {
                closedMeanwhile = closed;
                if (!closedMeanwhile) {
                    link = candidate;
                }
            }
            if (closedMeanwhile) {
                candidate.closeGracefully();
                return;
            }
            backoff = settings.reconnectBackoffMin();
            log.info("Carrier {}: session {} of {} bound to the SMSC at {} as {} (transceiver, window {}, {} submits/s"
                            + " for the carrier)", name(), number, binds.size(), address(), settings.systemId(),
                    settings.window(), settings.submitRate());
            if (candidate.isLost()) {
                linkLost(candidate);
            }
        }

        /** On the link keeper: the next bind attempt, after the current backoff, which then doubles. */
        void scheduleBind() {
            try {
                linkKeeper.schedule(this::bind, backoff.toMillis(), TimeUnit.MILLISECONDS);
                Duration doubled = backoff.multipliedBy(2);
                backoff = doubled.compareTo(settings.reconnectBackoffMax()) > 0 ? settings.reconnectBackoffMax() : doubled;
            } catch (RejectedExecutionException e) {
                // closed meanwhile
            }
        }

        /** Called once the session's current link is lost; schedules exactly one rebind. */
        void linkLost(Link lost) {
            synchronized (lifecycle) {
                if (link != lost || closed) {
                    return;
                }
                link = null;
            }
            log.info("Carrier {}: session {} lost its link to the SMSC at {}; rebinding", name(), number, address());
            try {
                linkKeeper.execute(this::scheduleBind);
            } catch (RejectedExecutionException e) {
                // closed meanwhile
            }
        }
    }

    /** An SMS on its way: its parts, the id the SMSC gave each, and the future of the caller. */
    private static final class Submission {
        final OutboundSms sms;
        final SmppAddress source;
        final SmppAddress destination;
        final List<Part> parts;
        final String[] carrierIds;
        final AtomicInteger unanswered;
        final CompletableFuture<SubmitResult> result = new CompletableFuture<>();

        Submission(OutboundSms sms, SmppAddress source, SmppAddress destination, List<ShortMessages.Part> shortMessages) {
            this.sms = sms;
            this.source = source;
            this.destination = destination;
            this.parts = new ArrayList<>(shortMessages.size());
            for (var shortMessage : shortMessages) {
                parts.add(new Part(this, shortMessage));
            }
            this.carrierIds = new String[shortMessages.size()];
            this.unanswered = new AtomicInteger(shortMessages.size());
        }

        void accepted(Part part, String carrierId) {
            carrierIds[part.shortMessage.index()] = carrierId;
            if (unanswered.decrementAndGet() == 0) {
                result.complete(new SubmitResult(Arrays.asList(carrierIds)));
            }
        }

        void failed(RuntimeException error) {
            result.completeExceptionally(error);
        }
    }

    private record Part(Submission submission, ShortMessages.Part shortMessage) {}

    /** One bound session and its sender threads; a lost link is never reused. */
    private final class Link implements MessageReceiverListener, SessionStateListener {
        final Bind bind;
        final EsmeSession session = new EsmeSession(SmppSockets.client(CONNECT_TIMEOUT));
        final Set<Part> inFlight = ConcurrentHashMap.newKeySet();
        final List<Thread> senders = new CopyOnWriteArrayList<>();
        final AtomicBoolean lost = new AtomicBoolean();
        /** Completes once the session closed, whichever side closed it. */
        final CompletableFuture<Void> closed = new CompletableFuture<>();
        volatile boolean closing;

        Link(Bind bind) {
            this.bind = bind;
            session.setEnquireLinkTimer(Math.toIntExact(settings.enquireLinkInterval().toMillis()));
            session.setTransactionTimer(settings.responseTimeout().toMillis());
            session.setPduProcessorDegree(RECEIVE_THREADS);
            session.setQueueCapacity(RECEIVE_QUEUE);
            session.setMessageReceiverListener(this);
            session.addSessionStateListener(this);
        }

        boolean isLost() {
            return lost.get() || closing;
        }

        void startSenders() {
            var threads = DaemonThreads.numbered("smpp-submit-" + name() + "-" + bind.number + "-");
            for (int i = 0; i < settings.window(); i++) {
                Thread sender = threads.newThread(this::sendParts);
                senders.add(sender);
                sender.start();
            }
        }

        private void sendParts() {
            while (!isLost()) {
                Part part;
                try {
                    // polls rather than blocks, so that a sender started as the link dropped still ends
                    part = queue.poll(250, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    return;
                }
                if (part == null) {
                    continue;
                }
                if (part.submission.result.isDone()) {
                    continue; // an earlier part failed: the rest would be orphans
                }
                try {
                    pacer.awaitSlot();
                } catch (InterruptedException e) {
                    part.submission.failed(unavailable("the link to the SMSC dropped", null));
                    return;
                }
                if (isLost()) {
                    part.submission.failed(unavailable("the link to the SMSC dropped", null));
                    return;
                }
                submit(part);
            }
        }

        private void submit(Part part) {
            Submission submission = part.submission;
            ShortMessages.Part shortMessage = part.shortMessage;
            inFlight.add(part);
            long started = System.nanoTime();
            try {
                var response = session.submitShortMessage("",
                        submission.source.ton(), submission.source.npi(), submission.source.address(),
                        submission.destination.ton(), submission.destination.npi(), submission.destination.address(),
                        shortMessage.udhi() ? CONCATENATED : PLAIN, (byte) 0, (byte) 0, null,
                        SmppTimes.validityPeriod(submission.sms.validUntil()),
                        FINAL_RECEIPT, (byte) 0, DataCodings.newInstance(shortMessage.dataCoding()), (byte) 0,
                        shortMessage.shortMessage());
                log.debug("SMS {} part {}/{} accepted as {}", submission.sms.smsId(),
                        shortMessage.index() + 1, submission.parts.size(), response.getMessageId());
                acceptedSubmits.increment();
                submitAccepted();
                submission.accepted(part, response.getMessageId());
            } catch (NegativeResponseException e) {
                log.debug("SMS {} part {} refused: 0x{}", submission.sms.smsId(), shortMessage.index() + 1,
                        Integer.toHexString(e.getCommandStatus()));
                RuntimeException refusal = refusal(e.getCommandStatus());
                if (refusal instanceof SubmitRejectedException) {
                    rejectedSubmits.increment();
                } else {
                    throttledSubmits.increment();
                    if (e.getCommandStatus() == SMPPConstant.STAT_ESME_RTHROTTLED) {
                        throttledBySmsc();
                    }
                }
                submission.failed(refusal);
            } catch (PDUException e) {
                rejectedSubmits.increment();
                submission.failed(new SubmitRejectedException("invalid-pdu", e.getMessage()));
            } catch (ResponseTimeoutException | InvalidResponseException | IOException e) {
                failedSubmits.increment();
                submission.failed(unavailable(isLost()
                        ? "the link to the SMSC dropped"
                        : "no valid submit_sm_resp: " + e.getMessage(), e));
            } finally {
                submitDurations.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
                inFlight.remove(part);
            }
        }

        private RuntimeException refusal(int commandStatus) {
            if (commandStatus == SMPPConstant.STAT_ESME_RTHROTTLED || commandStatus == SMPPConstant.STAT_ESME_RMSGQFUL) {
                return unavailable(String.format("the SMSC asked to slow down (0x%08X)", commandStatus), null);
            }
            return new SubmitRejectedException(String.format("smsc-rejected:0x%08X", commandStatus),
                    String.format("the SMSC refused the SMS with command_status 0x%08X", commandStatus));
        }

        /** On a query thread: one query_sm and its answer. */
        QueryAnswer query(String carrierMessageId, SmppAddress source) {
            QuerySmResult result;
            try {
                result = session.queryShortMessage(carrierMessageId, source.ton(), source.npi(), source.address());
            } catch (GenericNackResponseException e) {
                throw doesNotAnswerQueries("generic_nack");
            } catch (NegativeResponseException e) {
                if (e.getCommandStatus() == SMPPConstant.STAT_ESME_RQUERYFAIL) {
                    log.debug("Carrier {} does not know message {}", name(), carrierMessageId);
                    return new QueryAnswer(carrierMessageId, Optional.empty(), null, Instant.now());
                }
                throw doesNotAnswerQueries(String.format("command_status 0x%08X", e.getCommandStatus()));
            } catch (ResponseTimeoutException | InvalidResponseException | IOException e) {
                throw unavailable("no query_sm_resp from the SMSC at " + address() + ": " + e.getMessage(), e);
            } catch (PDUException e) {
                // a message id or sender too long for the PDU: nothing a later query changes
                throw new QueryUnsupportedException("query_sm cannot name message " + carrierMessageId + ": "
                        + e.getMessage());
            }
            MessageState state = result.getMessageState();
            Optional<CarrierEvent.Outcome> outcome = state == null ? Optional.empty() : QueryStates.outcome(state);
            String errorCode = outcome.isPresent() && outcome.get() != CarrierEvent.Outcome.DELIVERED
                    && result.getErrorCode() != 0 ? String.format("%03d", result.getErrorCode() & 0xFF) : null;
            Instant answeredAt = Instant.now();
            Instant doneAt = outcome.isPresent()
                    ? QueryStates.finalDate(result.getFinalDate()).orElse(answeredAt)
                    : answeredAt;
            return new QueryAnswer(carrierMessageId, outcome, errorCode, doneAt);
        }

        private QueryUnsupportedException doesNotAnswerQueries(String answer) {
            querySupported = false;
            log.info("Carrier {} answered query_sm with {}: it is not asked again", name(), answer);
            return new QueryUnsupportedException("carrier " + name() + " answered query_sm with " + answer);
        }

        @Override
        public void onStateChange(SessionState newState, SessionState oldState, Session source) {
            if (newState == SessionState.CLOSED) {
                closed.complete(null);
            }
            if (newState == SessionState.CLOSED && lost.compareAndSet(false, true)) {
                for (Thread sender : senders) {
                    sender.interrupt();
                }
                for (Part part : inFlight) {
                    part.submission.failed(unavailable("the link to the SMSC dropped", null));
                }
                bind.linkLost(this);
                if (!isBound()) {
                    failQueued("the link to the SMSC dropped");
                }
            }
        }

        void closeGracefully() {
            closing = true;
            long deadline = System.nanoTime() + settings.responseTimeout().toNanos();
            while (!inFlight.isEmpty() && System.nanoTime() - deadline < 0 && !lost.get()) {
                try {
                    TimeUnit.MILLISECONDS.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            unbind();
            session.close();
            awaitSenders();
        }

        /**
         * Unbinding is a courtesy, over once the SMSC answers or closes the link. jsmpp can drop an
         * unbind_resp that arrives just before the close (see {@link EsmeSession}), and leaves the
         * request waiting out its timeout even then; so the wait is on whichever comes first.
         */
        private void unbind() {
            if (!session.getSessionState().isBound()) {
                return;
            }
            var threads = DaemonThreads.numbered("smpp-unbind-" + session.getSessionId());
            CompletableFuture<Void> answered = CompletableFuture.runAsync(() -> {
                try {
                    session.unbind(UNBIND_TIMEOUT);
                } catch (Exception e) {
                    throw new CompletionException(e);
                }
            }, task -> threads.newThread(task).start());
            try {
                CompletableFuture.anyOf(answered, closed).get(UNBIND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                if (!answered.isDone()) {
                    log.debug("The SMSC closed the link before its unbind_resp was handled");
                }
            } catch (TimeoutException e) {
                log.warn("The SMSC at {}:{} did not answer unbind within {} ms; closing the link anyway",
                        settings.host(), settings.port(), UNBIND_TIMEOUT.toMillis());
            } catch (ExecutionException e) {
                Throwable cause = e.getCause() instanceof CompletionException wrapped && wrapped.getCause() != null
                        ? wrapped.getCause() : e.getCause();
                log.info("Unbinding from the SMSC at {}:{} failed ({}); closing the link anyway",
                        settings.host(), settings.port(), cause.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /**
         * Stops the senders and waits for them: a sender that had taken a part (pacing, or about to
         * send it) fails it as it stops, in its own thread. Whoever closes the connector then knows
         * what became of every submission once close returns.
         */
        private void awaitSenders() {
            senders.forEach(Thread::interrupt);
            long deadline = System.nanoTime() + settings.responseTimeout().toNanos();
            for (Thread sender : senders) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || sender == Thread.currentThread()) {
                    continue;
                }
                try {
                    TimeUnit.NANOSECONDS.timedJoin(sender, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        /** Answered with deliver_sm_resp only once this returns, so a crash in between loses nothing. */
        @Override
        public void onAcceptDeliverSm(DeliverSm deliverSm) throws ProcessRequestException {
            Optional<CarrierEvent> event = DeliverSmReader.read(settings.name(), deliverSm, Instant.now());
            if (event.isEmpty()) {
                return;
            }
            log.debug("Received {}", event.get());
            if (event.get() instanceof CarrierEvent.DeliveryReceipt receipt) {
                receipts[receipt.outcome().ordinal()].increment();
            }
            try {
                events.accept(event.get());
            } catch (RuntimeException e) {
                log.warn("The carrier event listener failed; the SMSC will deliver {} again", event.get(), e);
                throw new ProcessRequestException("listener failed", SMPPConstant.STAT_ESME_RX_T_APPN);
            }
        }

        @Override
        public void onAcceptAlertNotification(AlertNotification alertNotification) {
            log.debug("Ignoring an alert_notification");
        }

        @Override
        public DataSmResult onAcceptDataSm(DataSm dataSm, Session source) throws ProcessRequestException {
            throw new ProcessRequestException("data_sm is not supported", SMPPConstant.STAT_ESME_RINVCMDID);
        }
    }

    private static CarrierUnavailableException unavailable(String message, Throwable cause) {
        return new CarrierUnavailableException(message, cause);
    }
}
