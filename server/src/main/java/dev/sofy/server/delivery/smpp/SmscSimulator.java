package dev.sofy.server.delivery.smpp;

import dev.sofy.server.sms.Segments;
import dev.sofy.server.threads.DaemonThreads;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.nio.charset.StandardCharsets;
import org.jsmpp.InvalidResponseException;
import org.jsmpp.PDUException;
import org.jsmpp.PDUStringException;
import org.jsmpp.SMPPConstant;
import org.jsmpp.bean.BroadcastSm;
import org.jsmpp.bean.CancelBroadcastSm;
import org.jsmpp.bean.CancelSm;
import org.jsmpp.bean.DataCodings;
import org.jsmpp.bean.DataSm;
import org.jsmpp.bean.DeliveryReceipt;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.EnquireLink;
import org.jsmpp.bean.GSMSpecificFeature;
import org.jsmpp.bean.InterfaceVersion;
import org.jsmpp.bean.MessageMode;
import org.jsmpp.bean.MessageState;
import org.jsmpp.bean.MessageType;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.OptionalParameter;
import org.jsmpp.bean.OptionalParameters;
import org.jsmpp.bean.QueryBroadcastSm;
import org.jsmpp.bean.QuerySm;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.ReplaceSm;
import org.jsmpp.bean.SMSCDeliveryReceipt;
import org.jsmpp.bean.SubmitMulti;
import org.jsmpp.bean.SubmitSm;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.extra.NegativeResponseException;
import org.jsmpp.extra.ProcessRequestException;
import org.jsmpp.extra.ResponseTimeoutException;
import org.jsmpp.session.BindRequest;
import org.jsmpp.session.BroadcastSmResult;
import org.jsmpp.session.DataSmResult;
import org.jsmpp.session.QueryBroadcastSmResult;
import org.jsmpp.session.QuerySmResult;
import org.jsmpp.session.SMPPServerSession;
import org.jsmpp.session.SMPPServerSessionListener;
import org.jsmpp.session.ServerMessageReceiverListener;
import org.jsmpp.session.ServerResponseDeliveryListener;
import org.jsmpp.session.Session;
import org.jsmpp.session.SubmitMultiResult;
import org.jsmpp.session.SubmitSmResult;
import org.jsmpp.util.AbsoluteTimeFormatter;
import org.jsmpp.util.DeliveryReceiptState;
import org.jsmpp.util.MessageId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An SMSC in the process, on 127.0.0.1, built on jsmpp's SMPP server: the default carrier when
 * none is configured, so that SMS go through their whole lifecycle with no set-up.
 *
 * <p>It accepts binds with its system id and password, answers each submit_sm with a fresh
 * message id and, when the submit asked for it, sends a delivery receipt (deliver_sm, esm_class
 * 0x04, with receipted_message_id and message_state) after the receipt delay. Destinations in
 * the fictional range 555-01xx of area code 202 (NANPA keeps 555-0100 to 555-0199 for fiction)
 * choose the outcome, like Twilio's test numbers; every other destination is delivered:
 * <ul>
 *   <li>{@value #REJECTED_NUMBER}: refused at submit with ESME_RINVDSTADR (0x0000000B);</li>
 *   <li>{@value #UNDELIVERED_NUMBER}: an UNDELIV receipt with err:{@value #UNDELIVERED_ERROR};</li>
 *   <li>{@value #EXPIRED_NUMBER}: an EXPIRED receipt;</li>
 *   <li>{@value #NO_RECEIPT_NUMBER}: accepted, and no receipt ever;</li>
 *   <li>{@value #THROTTLED_NUMBER}: refused at submit with ESME_RMSGQFUL (0x00000014), every time: a
 *       refusal for now of that message alone, which does not slow the carrier as a throttle would;</li>
 *   <li>{@value #REPLYING_NUMBER}: delivered, and the handset replies (see {@link #REPLYING_NUMBER}).</li>
 * </ul>
 *
 * <p>A receipt that cannot be delivered (no receiver bound, or the ESME answered with an error)
 * is kept and tried again, as an SMSC stores and forwards. {@link #sendInbound} plays a handset
 * replying, for STOP messages; {@value #REPLYING_NUMBER} replies on its own. {@link #throttleAll}
 * refuses every submit with ESME_RTHROTTLED for a while, as an overloaded SMSC would.
 *
 * <p>It answers query_sm from what it knows of a message it accepted: ENROUTE until its receipt
 * delay passed (for ever for {@value #NO_RECEIPT_NUMBER}), then DELIVERED, UNDELIVERABLE (error
 * code 1) or EXPIRED, with the final date; ESME_RQUERYFAIL for a message it does not know (it
 * remembers the last {@value #REMEMBERED_SETTLED} whose receipt was acknowledged). With
 * {@link #answerQueries answerQueries(false)} it answers query_sm with ESME_RINVCMDID, as an
 * SMSC that does not support it.
 *
 * <p>Given a state file, it keeps there the messages it accepted until their receipt is
 * acknowledged (see {@link SmscStateFile}): after a kill of its process it starts again with
 * them, and delivers the receipts still owed once an ESME binds, at once for those already due.
 */
public final class SmscSimulator implements AutoCloseable {
    public static final String REJECTED_NUMBER = "12025550101";
    public static final String UNDELIVERED_NUMBER = "12025550102";
    public static final String EXPIRED_NUMBER = "12025550103";
    public static final String NO_RECEIPT_NUMBER = "12025550104";
    public static final String THROTTLED_NUMBER = "12025550105";
    /**
     * Delivered; once its receipt is acknowledged and the receipt delay passed again, the handset
     * replies to the SMS's sender with {@code Re: } and the first 20 characters of the first part's
     * text. Only to a numeric sender (a short code or a number): no handset can answer a name.
     */
    public static final String REPLYING_NUMBER = "12025550106";
    /** The err field of the receipts for {@link #UNDELIVERED_NUMBER}. */
    public static final String UNDELIVERED_ERROR = "001";
    /** What the simulator answers to binds, as its own system id. */
    public static final String SYSTEM_ID = "sofy-smsc";

    private static final Logger log = LoggerFactory.getLogger(SmscSimulator.class);
    private static final ESMClass RECEIPT = new ESMClass(MessageMode.DEFAULT, MessageType.SMSC_DEL_RECEIPT,
            GSMSpecificFeature.DEFAULT);
    private static final Duration RETRY_DELAY = Duration.ofSeconds(1);
    private static final int PDU_THREADS = 16;
    private static final int RECEIVE_QUEUE = 10_000;
    /**
     * Receipts outstanding at once, like a real SMSC's window of unacknowledged deliver_sm. The
     * connector acknowledges a receipt once it is committed, so receipts per second are at most
     * this over the commit latency, which is near 100 ms under a full load: 128 held the
     * end-to-end benchmark on H2 near 1,500 delivered/s while 3,000/s were accepted. 256 matches
     * the connector's receive threads.
     */
    private static final int RECEIPT_SENDERS = 256;
    private static final int RECORDED_SUBMITS = 10_000;
    /** Messages whose receipt was acknowledged that query_sm still knows of. */
    private static final int REMEMBERED_SETTLED = 100_000;
    private static final Duration STATE_FLUSH_INTERVAL = Duration.ofSeconds(1);
    private static final String NO_OUTCOME = SmscStateFile.NO_RECEIPT;

    private final String systemId;
    private final String password;
    private final Duration receiptDelay;
    private final SmppSockets.Loopback sockets = new SmppSockets.Loopback();
    private final SMPPServerSessionListener listener;
    private final Thread acceptor;
    private final ExecutorService binders = Executors.newCachedThreadPool(DaemonThreads.numbered("smsc-bind"));
    private final ScheduledExecutorService receiptTimer =
            Executors.newSingleThreadScheduledExecutor(DaemonThreads.numbered("smsc-receipt-timer"));
    private final ExecutorService receiptSenders =
            Executors.newFixedThreadPool(RECEIPT_SENDERS, DaemonThreads.numbered("smsc-receipt"));
    private final Set<SMPPServerSession> boundSessions = ConcurrentHashMap.newKeySet();
    private final Map<String, PendingReceipt> receiptsAwaitingResponse = new ConcurrentHashMap<>();
    private final Queue<PendingReceipt> receiptsAwaitingReceiver = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedDeque<ReceivedSubmit> recorded = new ConcurrentLinkedDeque<>();
    private final AtomicInteger recordedCount = new AtomicInteger();
    private final AtomicLong submits = new AtomicLong();
    private final AtomicLong receiptsDelivered = new AtomicLong();
    private final AtomicLong enquireLinks = new AtomicLong();
    private final AtomicInteger heldSubmits = new AtomicInteger();
    private final String idPrefix = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    private final AtomicLong idSequence = new AtomicLong();
    private volatile CountDownLatch hold;
    private volatile Duration submitDelay = Duration.ZERO;
    private volatile boolean closed;
    private volatile boolean throttlingAll;
    private volatile boolean answeringQueries = true;
    private final AtomicLong queries = new AtomicLong();
    /** Accepted messages whose receipt is not acknowledged yet, and those that never get one. */
    private final Map<String, SmscStateFile.Message> owed = new ConcurrentHashMap<>();
    /** Message id to the final state of the last messages whose receipt was acknowledged. */
    private final Map<String, DeliveryReceiptState> settled = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, DeliveryReceiptState> eldest) {
            return size() > REMEMBERED_SETTLED;
        }
    };
    private final SmscStateFile stateFile;

    /** A submit_sm as the simulator received it, for tests to check what went over the wire. */
    public record ReceivedSubmit(
            String messageId,
            byte sourceTon,
            byte sourceNpi,
            String source,
            byte destinationTon,
            byte destinationNpi,
            String destination,
            byte esmClass,
            byte dataCoding,
            byte registeredDelivery,
            byte[] shortMessage,
            String sessionId,
            /* The validity_period as sent (SMPP time), null when none. */
            String validityPeriod) {

        public boolean udhi() {
            return (esmClass & GSMSpecificFeature.UDHI.value()) != 0;
        }

        /** The user data header, empty when the part has none. */
        public byte[] userDataHeader() {
            return ShortMessages.header(udhi(), shortMessage);
        }

        /** The text of the part, decoded by its data_coding, without the header. */
        public String text() {
            return ShortMessages.text(dataCoding, udhi(), shortMessage);
        }
    }

    /**
     * What a receipt needs of its submit; not the submit itself, as thousands may wait at once.
     * The session is the one the submit came on, when there is one.
     */
    private record PendingReceipt(SMPPServerSession session, SmscStateFile.Message message) {
        String messageId() {
            return message.id();
        }

        DeliveryReceiptState state() {
            return DeliveryReceiptState.valueOf(message.outcome());
        }

        SmppAddress recipient() {
            return new SmppAddress(TypeOfNumber.valueOf(message.destinationTon()),
                    NumberingPlanIndicator.valueOf(message.destinationNpi()), message.destination());
        }

        SmppAddress sender() {
            return new SmppAddress(TypeOfNumber.valueOf(message.sourceTon()),
                    NumberingPlanIndicator.valueOf(message.sourceNpi()), message.source());
        }
    }

    private SmscSimulator(int port, String systemId, String password, Duration receiptDelay, Optional<Path> state)
            throws IOException {
        this.systemId = Objects.requireNonNull(systemId);
        this.password = Objects.requireNonNull(password);
        if (receiptDelay.isNegative()) {
            throw new IllegalArgumentException("the receipt delay is not negative");
        }
        this.receiptDelay = receiptDelay;
        if (state.isPresent()) {
            var opened = SmscStateFile.open(state.get(), this::owedMessages);
            stateFile = opened.file();
            owed.putAll(opened.owed());
        } else {
            stateFile = null;
        }
        try {
            listener = new SMPPServerSessionListener(port, sockets);
        } catch (IOException | RuntimeException e) {
            if (stateFile != null) {
                stateFile.close();
            }
            throw e;
        }
        listener.setPduProcessorDegree(PDU_THREADS);
        listener.setQueueCapacity(RECEIVE_QUEUE);
        listener.setMessageReceiverListener(new Receiver());
        listener.setResponseDeliveryListener(new ResponsesSent());
        listener.setSessionStateListener(this::sessionStateChanged);
        acceptor = DaemonThreads.numbered("smsc-accept").newThread(this::acceptSessions);
        acceptor.start();
        if (stateFile != null) {
            receiptTimer.scheduleWithFixedDelay(this::flushState, STATE_FLUSH_INTERVAL.toMillis(),
                    STATE_FLUSH_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
            long now = System.currentTimeMillis();
            int restored = 0;
            for (SmscStateFile.Message message : owed.values()) {
                if (!NO_OUTCOME.equals(message.outcome())) {
                    restored++;
                    sendReceiptSoon(new PendingReceipt(null, message),
                            Duration.ofMillis(Math.max(0, message.receiptDueAtMillis() - now)));
                }
            }
            log.info("SMSC simulator state in {}: {} receipts still owed", stateFile.path(), restored);
        }
        log.info("SMSC simulator listening on 127.0.0.1:{}", port());
    }

    /**
     * Starts a simulator on 127.0.0.1 that keeps its state in memory only; port 0 takes any free
     * port, see {@link #port()}.
     */
    public static SmscSimulator start(int port, String systemId, String password, Duration receiptDelay)
            throws IOException {
        return new SmscSimulator(port, systemId, password, receiptDelay, Optional.empty());
    }

    /**
     * Starts a simulator on 127.0.0.1 that keeps the messages it accepted, and the receipts it
     * owes, in {@code stateFile} when given, and takes them back from it.
     *
     * @throws IllegalStateException when another simulator holds the state file
     */
    public static SmscSimulator start(int port, String systemId, String password, Duration receiptDelay,
            Optional<Path> stateFile) throws IOException {
        return new SmscSimulator(port, systemId, password, receiptDelay, stateFile);
    }

    /**
     * Refuses every submit_sm with ESME_RTHROTTLED while {@code throttling} is true, as an SMSC
     * that asks its ESMEs to slow down.
     */
    public void throttleAll(boolean throttling) {
        this.throttlingAll = throttling;
    }

    /** Answers query_sm (the default), or refuses it with ESME_RINVCMDID as an SMSC without support for it. */
    public void answerQueries(boolean answering) {
        this.answeringQueries = answering;
    }

    /** The query_sm PDUs received so far, answered or not. */
    public long queryCount() {
        return queries.get();
    }

    /** Accepted messages whose receipt the ESME has not acknowledged yet (those that never get one included). */
    public int owedReceiptCount() {
        return owed.size();
    }

    private Collection<SmscStateFile.Message> owedMessages() {
        return new ArrayList<>(owed.values());
    }

    private void flushState() {
        try {
            stateFile.flush();
        } catch (RuntimeException e) {
            log.warn("Could not write the simulator's state: {}", e.getMessage());
        }
    }

    public int port() {
        return sockets.port();
    }

    public String host() {
        return "127.0.0.1";
    }

    /** The submit_sm PDUs received so far, rejected ones included. */
    public long submitCount() {
        return submits.get();
    }

    /** The delivery receipts the ESME acknowledged so far. */
    public long receiptCount() {
        return receiptsDelivered.get();
    }

    /** The enquire_link PDUs received from ESMEs so far. */
    public long enquireLinkCount() {
        return enquireLinks.get();
    }

    /** The last submit_sm PDUs received (up to 10,000), oldest first. */
    public List<ReceivedSubmit> received() {
        return new ArrayList<>(recorded);
    }

    public int boundSessionCount() {
        return boundSessions.size();
    }

    /**
     * Waits {@code delay} before taking each submit_sm and answering it, as a slow SMSC would: an
     * ESME then holds its submits that long unacknowledged. It takes up to 16 at once a bind.
     */
    public void delaySubmits(Duration delay) {
        this.submitDelay = delay;
    }

    /** Holds every submit_sm unanswered until {@link #releaseSubmits}, as a stalled SMSC would. */
    public void holdSubmits() {
        hold = new CountDownLatch(1);
    }

    public void releaseSubmits() {
        CountDownLatch latch = hold;
        hold = null;
        if (latch != null) {
            latch.countDown();
        }
    }

    /** How many submit_sm PDUs are being held unanswered right now. */
    public int heldSubmitCount() {
        return heldSubmits.get();
    }

    /**
     * Plays a handset sending {@code text} from {@code from} (international digits) to
     * {@code to} (one of our senders): a deliver_sm that is not a receipt, to a bound receiver.
     * Returns once the ESME acknowledged it. The text must fit one SMS.
     */
    public void sendInbound(String from, String to, String text) {
        Segments segments = Segments.of(text);
        if (segments.count() != 1) {
            throw new IllegalArgumentException("an inbound message fits one SMS; this one needs " + segments.count());
        }
        ShortMessages.Part part = ShortMessages.of(segments, 0).get(0);
        SmppAddress source = SmppAddress.recipient(from);
        SmppAddress destination = SmppAddress.sender(to);
        SMPPServerSession session = anyBoundSession();
        if (session == null) {
            throw new IllegalStateException("no ESME is bound to the simulator");
        }
        try {
            session.deliverShortMessage("", source.ton(), source.npi(), source.address(),
                    destination.ton(), destination.npi(), destination.address(), new ESMClass(), (byte) 0, (byte) 0,
                    new RegisteredDelivery(), DataCodings.newInstance(part.dataCoding()), part.shortMessage());
        } catch (PDUException | ResponseTimeoutException | InvalidResponseException | NegativeResponseException
                 | IOException e) {
            throw new IllegalStateException("the inbound message was not acknowledged: " + e, e);
        }
    }

    /** Stops listening and drops every session at once, as a crashing SMSC would. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            listener.close();
        } catch (IOException e) {
            log.debug("Closing the listener: {}", e.getMessage());
        }
        for (SMPPServerSession session : boundSessions) {
            session.close();
        }
        releaseSubmits(); // only now, so that held submits go unanswered
        receiptTimer.shutdownNow();
        receiptSenders.shutdownNow();
        binders.shutdownNow();
        try {
            acceptor.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (stateFile != null) {
            stateFile.close();
        }
        log.info("SMSC simulator on 127.0.0.1:{} stopped", port());
    }

    private void acceptSessions() {
        while (!closed) {
            SMPPServerSession session;
            try {
                session = listener.accept();
            } catch (IOException e) {
                if (!closed) {
                    log.warn("The SMSC simulator stopped accepting: {}", e.getMessage());
                }
                return;
            }
            try {
                binders.execute(() -> awaitBind(session));
            } catch (RejectedExecutionException e) {
                session.close();
            }
        }
    }

    private void awaitBind(SMPPServerSession session) {
        try {
            BindRequest request = session.waitForBind(TimeUnit.SECONDS.toMillis(10));
            if (!systemId.equals(request.getSystemId())) {
                request.reject(SMPPConstant.STAT_ESME_RINVSYSID);
                session.close();
            } else if (!password.equals(request.getPassword())) {
                request.reject(SMPPConstant.STAT_ESME_RINVPASWD);
                session.close();
            } else {
                request.accept(SYSTEM_ID, InterfaceVersion.IF_34);
                boundSessions.add(session);
                log.info("SMSC simulator: {} bound as {}", request.getSystemId(), request.getBindType());
                PendingReceipt receipt;
                while ((receipt = receiptsAwaitingReceiver.poll()) != null) {
                    sendReceiptSoon(receipt, Duration.ZERO);
                }
            }
        } catch (TimeoutException e) {
            log.debug("No bind request in time");
        } catch (PDUStringException | IOException | IllegalStateException e) {
            log.debug("Bind failed: {}", e.getMessage());
            session.close();
        }
    }

    private void sessionStateChanged(org.jsmpp.extra.SessionState newState, org.jsmpp.extra.SessionState oldState,
            Session source) {
        if (!newState.isBound()) {
            boundSessions.remove(source);
        }
    }

    private SMPPServerSession anyBoundSession() {
        for (SMPPServerSession session : boundSessions) {
            if (session.getSessionState().isReceivable()) {
                return session;
            }
        }
        return null;
    }

    private String nextMessageId() {
        return idPrefix + HexFormat.of().toHexDigits(idSequence.incrementAndGet()).substring(6);
    }

    private void record(ReceivedSubmit submit) {
        recorded.addLast(submit);
        if (recordedCount.incrementAndGet() > RECORDED_SUBMITS && recorded.pollFirst() != null) {
            recordedCount.decrementAndGet();
        }
    }

    private SubmitSmResult acceptSubmit(SubmitSm submit, SMPPServerSession session) throws ProcessRequestException {
        submits.incrementAndGet();
        awaitSubmitDelay();
        awaitRelease();
        String destination = submit.getDestAddress();
        boolean throttling = throttlingAll;
        boolean queueFull = THROTTLED_NUMBER.equals(destination);
        boolean refused = REJECTED_NUMBER.equals(destination) || throttling || queueFull;
        String messageId = refused ? null : nextMessageId();
        record(new ReceivedSubmit(messageId, submit.getSourceAddrTon(), submit.getSourceAddrNpi(), submit.getSourceAddr(),
                submit.getDestAddrTon(), submit.getDestAddrNpi(), destination, submit.getEsmClass(),
                submit.getDataCoding(), submit.getRegisteredDelivery(), submit.getShortMessage(), session.getSessionId(),
                submit.getValidityPeriod()));
        if (throttling) {
            throw new ProcessRequestException("throttled", SMPPConstant.STAT_ESME_RTHROTTLED);
        }
        if (queueFull) {
            throw new ProcessRequestException("message queue full", SMPPConstant.STAT_ESME_RMSGQFUL);
        }
        if (REJECTED_NUMBER.equals(destination)) {
            throw new ProcessRequestException("invalid destination address", SMPPConstant.STAT_ESME_RINVDSTADR);
        }
        DeliveryReceiptState state = UNDELIVERED_NUMBER.equals(destination) ? DeliveryReceiptState.UNDELIV
                : EXPIRED_NUMBER.equals(destination) ? DeliveryReceiptState.EXPIRED
                : DeliveryReceiptState.DELIVRD;
        boolean receipt = !NO_RECEIPT_NUMBER.equals(destination) && receiptRequested(submit.getRegisteredDelivery(), state);
        long now = System.currentTimeMillis();
        var message = new SmscStateFile.Message(messageId, receipt ? state.name() : NO_OUTCOME, now,
                now + receiptDelay.toMillis(), submit.getSourceAddrTon(), submit.getSourceAddrNpi(),
                submit.getSourceAddr(), submit.getDestAddrTon(), submit.getDestAddrNpi(), destination);
        // known before it is written: a rewrite of the state file in between keeps it
        owed.put(messageId, message);
        if (receipt) {
            receiptsAwaitingResponse.put(messageId, new PendingReceipt(session, message));
        }
        if (stateFile != null) {
            try {
                stateFile.accepted(message);
            } catch (RuntimeException e) {
                owed.remove(messageId);
                receiptsAwaitingResponse.remove(messageId);
                log.warn("Refusing a submit the simulator could not keep: {}", e.getMessage());
                throw new ProcessRequestException("state not written", SMPPConstant.STAT_ESME_RSYSERR, e);
            }
        }
        try {
            return new SubmitSmResult(new MessageId(messageId), OptionalParameters.EMPTY_OPTIONAL_PARAMETERS);
        } catch (PDUStringException e) {
            throw new ProcessRequestException("invalid message id", SMPPConstant.STAT_ESME_RSYSERR, e);
        }
    }

    private void awaitSubmitDelay() {
        Duration delay = submitDelay;
        if (delay.isZero()) {
            return;
        }
        try {
            TimeUnit.NANOSECONDS.sleep(delay.toNanos());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitRelease() {
        CountDownLatch latch = hold;
        if (latch == null) {
            return;
        }
        heldSubmits.incrementAndGet();
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            heldSubmits.decrementAndGet();
        }
    }

    private static boolean receiptRequested(byte registeredDelivery, DeliveryReceiptState state) {
        boolean delivered = state == DeliveryReceiptState.DELIVRD;
        return SMSCDeliveryReceipt.SUCCESS_FAILURE.containedIn(registeredDelivery)
                || SMSCDeliveryReceipt.FAILURE.containedIn(registeredDelivery) && !delivered
                || SMSCDeliveryReceipt.SUCCESS.containedIn(registeredDelivery) && delivered;
    }

    private void sendReceiptSoon(PendingReceipt receipt, Duration delay) {
        if (closed) {
            return;
        }
        try {
            if (delay.isZero()) {
                receiptSenders.execute(() -> sendReceipt(receipt));
            } else {
                receiptTimer.schedule(() -> sendReceiptSoon(receipt, Duration.ZERO),
                        delay.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    private void sendReceipt(PendingReceipt receipt) {
        SMPPServerSession session = receipt.session() != null && receipt.session().getSessionState().isReceivable()
                ? receipt.session()
                : anyBoundSession();
        if (session == null) {
            receiptsAwaitingReceiver.add(receipt);
            if (anyBoundSession() != null && receiptsAwaitingReceiver.remove(receipt)) {
                sendReceiptSoon(receipt, Duration.ZERO); // a receiver bound meanwhile
            }
            return;
        }
        boolean delivered = receipt.state() == DeliveryReceiptState.DELIVRD;
        var text = new DeliveryReceipt(receipt.messageId(), 1, delivered ? 1 : 0,
                new Date(receipt.message().submittedAtMillis()), new Date(), receipt.state(), error(receipt.state()), "");
        MessageState messageState = messageState(receipt.state());
        try {
            session.deliverShortMessage("",
                    receipt.recipient().ton(), receipt.recipient().npi(), receipt.recipient().address(),
                    receipt.sender().ton(), receipt.sender().npi(), receipt.sender().address(),
                    RECEIPT, (byte) 0, (byte) 0, new RegisteredDelivery(), DataCodings.ZERO,
                    text.toString().getBytes(StandardCharsets.US_ASCII),
                    new OptionalParameter.Receipted_message_id(receipt.messageId()),
                    new OptionalParameter.Message_state(messageState.value()));
            receiptsDelivered.incrementAndGet();
            replyLater(receipt);
            receiptAcknowledged(receipt);
        } catch (NegativeResponseException | ResponseTimeoutException | InvalidResponseException | IOException e) {
            log.debug("Receipt for {} not delivered ({}); trying again", receipt.messageId(), e.getMessage());
            sendReceiptSoon(receipt, RETRY_DELAY);
        } catch (PDUException e) {
            log.warn("Dropping a receipt the simulator could not encode: {}", e.getMessage());
        }
    }

    /** The hook of {@link #REPLYING_NUMBER}, after its receipt was acknowledged. */
    private void replyLater(PendingReceipt receipt) {
        String sender = receipt.sender().address();
        if (!REPLYING_NUMBER.equals(receipt.recipient().address()) || !sender.matches("[0-9]+")) {
            return;
        }
        // The submit as recorded: the first part of a long SMS holds more than 20 characters.
        ReceivedSubmit first = recorded.stream()
                .filter(submit -> receipt.messageId().equals(submit.messageId()))
                .filter(submit -> submit.userDataHeader().length < 6 || submit.userDataHeader()[5] == 1)
                .findFirst().orElse(null);
        if (first == null || closed) {
            return;
        }
        String text = first.text();
        int end = text.offsetByCodePoints(0, Math.min(20, text.codePointCount(0, text.length())));
        String reply = "Re: " + text.substring(0, end);
        try {
            receiptTimer.schedule(() -> receiptSenders.execute(() -> {
                try {
                    sendInbound(REPLYING_NUMBER, sender, reply);
                } catch (IllegalStateException e) {
                    log.warn("The reply of {} was not delivered: {}", REPLYING_NUMBER, e.getMessage());
                }
            }), receiptDelay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    private static String error(DeliveryReceiptState state) {
        return state == DeliveryReceiptState.UNDELIV ? UNDELIVERED_ERROR : "000";
    }

    private static MessageState messageState(DeliveryReceiptState state) {
        return state == DeliveryReceiptState.DELIVRD ? MessageState.DELIVERED
                : state == DeliveryReceiptState.EXPIRED ? MessageState.EXPIRED
                : MessageState.UNDELIVERABLE;
    }

    private void receiptAcknowledged(PendingReceipt receipt) {
        forget(receipt.messageId());
        synchronized (settled) {
            settled.put(receipt.messageId(), receipt.state());
        }
    }

    /** No receipt is owed for the message any more. */
    private void forget(String messageId) {
        if (owed.remove(messageId) != null && stateFile != null) {
            try {
                stateFile.acknowledged(messageId);
            } catch (RuntimeException e) {
                log.warn("Could not note in the state file that {} is settled: {}", messageId, e.getMessage());
            }
        }
    }

    /** What query_sm says of a message: en route until its receipt is due, then its final state. */
    private QuerySmResult answerQuery(QuerySm query) throws ProcessRequestException {
        queries.incrementAndGet();
        if (!answeringQueries) {
            throw new ProcessRequestException("query_sm is not supported", SMPPConstant.STAT_ESME_RINVCMDID);
        }
        String messageId = query.getMessageId();
        SmscStateFile.Message message = owed.get(messageId);
        DeliveryReceiptState state;
        long doneAt;
        if (message != null) {
            if (NO_OUTCOME.equals(message.outcome()) || System.currentTimeMillis() < message.receiptDueAtMillis()) {
                return new QuerySmResult("", MessageState.ENROUTE, (byte) 0);
            }
            state = DeliveryReceiptState.valueOf(message.outcome());
            doneAt = message.receiptDueAtMillis();
        } else {
            synchronized (settled) {
                state = settled.get(messageId);
            }
            if (state == null) {
                throw new ProcessRequestException("unknown message " + messageId, SMPPConstant.STAT_ESME_RQUERYFAIL);
            }
            doneAt = System.currentTimeMillis();
        }
        return new QuerySmResult(new AbsoluteTimeFormatter().format(new Date(doneAt)), messageState(state),
                state == DeliveryReceiptState.UNDELIV ? Byte.parseByte(UNDELIVERED_ERROR) : (byte) 0);
    }

    private final class ResponsesSent implements ServerResponseDeliveryListener {
        @Override
        public void onSubmitSmRespSent(SubmitSmResult result, SMPPServerSession session) {
            PendingReceipt receipt = receiptsAwaitingResponse.remove(result.getMessageId());
            if (receipt != null) {
                sendReceiptSoon(receipt, receiptDelay);
            }
        }

        @Override
        public void onSubmitSmRespError(SubmitSmResult result, Exception cause, SMPPServerSession session) {
            receiptsAwaitingResponse.remove(result.getMessageId());
            forget(result.getMessageId()); // the ESME never heard of it
        }

        @Override
        public void onSubmitMultiRespSent(SubmitMultiResult result, SMPPServerSession session) {}

        @Override
        public void onSubmitMultiRespError(SubmitMultiResult result, Exception cause, SMPPServerSession session) {}
    }

    /** Answers what an ESME sends; only submit_sm and query_sm are supported. */
    private final class Receiver implements ServerMessageReceiverListener {
        @Override
        public SubmitSmResult onAcceptSubmitSm(SubmitSm submitSm, SMPPServerSession source)
                throws ProcessRequestException {
            return acceptSubmit(submitSm, source);
        }

        @Override
        public SubmitMultiResult onAcceptSubmitMulti(SubmitMulti submitMulti, SMPPServerSession source)
                throws ProcessRequestException {
            throw unsupported();
        }

        @Override
        public QuerySmResult onAcceptQuerySm(QuerySm querySm, SMPPServerSession source) throws ProcessRequestException {
            return answerQuery(querySm);
        }

        @Override
        public void onAcceptReplaceSm(ReplaceSm replaceSm, SMPPServerSession source) throws ProcessRequestException {
            throw unsupported();
        }

        @Override
        public void onAcceptCancelSm(CancelSm cancelSm, SMPPServerSession source) throws ProcessRequestException {
            throw unsupported();
        }

        @Override
        public BroadcastSmResult onAcceptBroadcastSm(BroadcastSm broadcastSm, SMPPServerSession source)
                throws ProcessRequestException {
            throw unsupported();
        }

        @Override
        public void onAcceptCancelBroadcastSm(CancelBroadcastSm cancelBroadcastSm, SMPPServerSession source)
                throws ProcessRequestException {
            throw unsupported();
        }

        @Override
        public QueryBroadcastSmResult onAcceptQueryBroadcastSm(QueryBroadcastSm queryBroadcastSm,
                SMPPServerSession source) throws ProcessRequestException {
            throw unsupported();
        }

        @Override
        public DataSmResult onAcceptDataSm(DataSm dataSm, Session source) throws ProcessRequestException {
            throw unsupported();
        }

        @Override
        public void onAcceptEnquireLink(EnquireLink enquireLink, Session source) {
            enquireLinks.incrementAndGet();
        }

        private ProcessRequestException unsupported() {
            return new ProcessRequestException("not supported by the simulator", SMPPConstant.STAT_ESME_RINVCMDID);
        }
    }
}
