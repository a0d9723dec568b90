package dev.sofy.server.delivery.smpp;

import dev.sofy.server.sms.Segments;
import dev.sofy.server.threads.DaemonThreads;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
 *   <li>{@value #THROTTLED_NUMBER}: refused at submit with ESME_RTHROTTLED (0x00000058), every time.</li>
 * </ul>
 *
 * <p>A receipt that cannot be delivered (no receiver bound, or the ESME answered with an error)
 * is kept and tried again, as an SMSC stores and forwards. {@link #sendInbound} plays a handset
 * replying, for STOP messages.
 */
public final class SmscSimulator implements AutoCloseable {
    public static final String REJECTED_NUMBER = "12025550101";
    public static final String UNDELIVERED_NUMBER = "12025550102";
    public static final String EXPIRED_NUMBER = "12025550103";
    public static final String NO_RECEIPT_NUMBER = "12025550104";
    public static final String THROTTLED_NUMBER = "12025550105";
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
    private volatile boolean closed;

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

    /** What a receipt needs of its submit; not the submit itself, as thousands may wait at once. */
    private record PendingReceipt(
            SMPPServerSession session, String messageId, SmppAddress recipient, SmppAddress sender,
            DeliveryReceiptState state, String error, Date submittedAt) {}

    private SmscSimulator(int port, String systemId, String password, Duration receiptDelay) throws IOException {
        this.systemId = Objects.requireNonNull(systemId);
        this.password = Objects.requireNonNull(password);
        if (receiptDelay.isNegative()) {
            throw new IllegalArgumentException("the receipt delay is not negative");
        }
        this.receiptDelay = receiptDelay;
        listener = new SMPPServerSessionListener(port, sockets);
        listener.setPduProcessorDegree(PDU_THREADS);
        listener.setQueueCapacity(RECEIVE_QUEUE);
        listener.setMessageReceiverListener(new Receiver());
        listener.setResponseDeliveryListener(new ResponsesSent());
        listener.setSessionStateListener(this::sessionStateChanged);
        acceptor = DaemonThreads.numbered("smsc-accept").newThread(this::acceptSessions);
        acceptor.start();
        log.info("SMSC simulator listening on 127.0.0.1:{}", port());
    }

    /** Starts a simulator on 127.0.0.1; port 0 takes any free port, see {@link #port()}. */
    public static SmscSimulator start(int port, String systemId, String password, Duration receiptDelay)
            throws IOException {
        return new SmscSimulator(port, systemId, password, receiptDelay);
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
        awaitRelease();
        String destination = submit.getDestAddress();
        boolean refused = REJECTED_NUMBER.equals(destination) || THROTTLED_NUMBER.equals(destination);
        String messageId = refused ? null : nextMessageId();
        record(new ReceivedSubmit(messageId, submit.getSourceAddrTon(), submit.getSourceAddrNpi(), submit.getSourceAddr(),
                submit.getDestAddrTon(), submit.getDestAddrNpi(), destination, submit.getEsmClass(),
                submit.getDataCoding(), submit.getRegisteredDelivery(), submit.getShortMessage(),
                submit.getValidityPeriod()));
        if (REJECTED_NUMBER.equals(destination)) {
            throw new ProcessRequestException("invalid destination address", SMPPConstant.STAT_ESME_RINVDSTADR);
        }
        if (THROTTLED_NUMBER.equals(destination)) {
            throw new ProcessRequestException("throttled", SMPPConstant.STAT_ESME_RTHROTTLED);
        }
        DeliveryReceiptState state = UNDELIVERED_NUMBER.equals(destination) ? DeliveryReceiptState.UNDELIV
                : EXPIRED_NUMBER.equals(destination) ? DeliveryReceiptState.EXPIRED
                : DeliveryReceiptState.DELIVRD;
        if (!NO_RECEIPT_NUMBER.equals(destination) && receiptRequested(submit.getRegisteredDelivery(), state)) {
            String error = state == DeliveryReceiptState.UNDELIV ? UNDELIVERED_ERROR : "000";
            receiptsAwaitingResponse.put(messageId,
                    new PendingReceipt(session, messageId,
                            new SmppAddress(TypeOfNumber.valueOf(submit.getDestAddrTon()),
                                    NumberingPlanIndicator.valueOf(submit.getDestAddrNpi()), destination),
                            new SmppAddress(TypeOfNumber.valueOf(submit.getSourceAddrTon()),
                                    NumberingPlanIndicator.valueOf(submit.getSourceAddrNpi()), submit.getSourceAddr()),
                            state, error, new Date()));
        }
        try {
            return new SubmitSmResult(new MessageId(messageId), OptionalParameters.EMPTY_OPTIONAL_PARAMETERS);
        } catch (PDUStringException e) {
            throw new ProcessRequestException("invalid message id", SMPPConstant.STAT_ESME_RSYSERR, e);
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
        SMPPServerSession session = receipt.session().getSessionState().isReceivable()
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
        var text = new DeliveryReceipt(receipt.messageId(), 1, delivered ? 1 : 0, receipt.submittedAt(), new Date(),
                receipt.state(), receipt.error(), "");
        MessageState messageState = delivered ? MessageState.DELIVERED
                : receipt.state() == DeliveryReceiptState.EXPIRED ? MessageState.EXPIRED
                : MessageState.UNDELIVERABLE;
        try {
            session.deliverShortMessage("",
                    receipt.recipient().ton(), receipt.recipient().npi(), receipt.recipient().address(),
                    receipt.sender().ton(), receipt.sender().npi(), receipt.sender().address(),
                    RECEIPT, (byte) 0, (byte) 0, new RegisteredDelivery(), DataCodings.ZERO,
                    text.toString().getBytes(StandardCharsets.US_ASCII),
                    new OptionalParameter.Receipted_message_id(receipt.messageId()),
                    new OptionalParameter.Message_state(messageState.value()));
            receiptsDelivered.incrementAndGet();
        } catch (NegativeResponseException | ResponseTimeoutException | InvalidResponseException | IOException e) {
            log.debug("Receipt for {} not delivered ({}); trying again", receipt.messageId(), e.getMessage());
            sendReceiptSoon(receipt, RETRY_DELAY);
        } catch (PDUException e) {
            log.warn("Dropping a receipt the simulator could not encode: {}", e.getMessage());
        }
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
        }

        @Override
        public void onSubmitMultiRespSent(SubmitMultiResult result, SMPPServerSession session) {}

        @Override
        public void onSubmitMultiRespError(SubmitMultiResult result, Exception cause, SMPPServerSession session) {}
    }

    /** Answers what an ESME sends; only submit_sm is supported. */
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
            throw unsupported();
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
