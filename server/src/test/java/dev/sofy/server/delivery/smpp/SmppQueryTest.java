package dev.sofy.server.delivery.smpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sofy.server.delivery.CarrierEvent.Outcome;
import dev.sofy.server.delivery.CarrierUnavailableException;
import dev.sofy.server.delivery.OutboundSms;
import dev.sofy.server.delivery.QueryAnswer;
import dev.sofy.server.delivery.QueryUnsupportedException;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.jsmpp.SMPPConstant;
import org.jsmpp.bean.MessageState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** query_sm on the wire, between the connector and the simulator. */
class SmppQueryTest {
    private static final String SYSTEM_ID = "sofy";
    private static final String PASSWORD = "secret";
    private static final String SENDER = "APITEST";
    private static final String HANDSET = "33612345678";

    private final List<AutoCloseable> opened = new ArrayList<>();
    private SmscSimulator simulator;
    private SmppConnector connector;

    @AfterEach
    void closeEverything() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
    }

    @Test
    void aMessageWhoseReceiptIsNotDueYetIsStillOnItsWay() throws Exception {
        connect(Duration.ofHours(1));
        String id = sent(HANDSET);

        QueryAnswer answer = connector.query(id, SENDER).join();

        assertEquals(Optional.empty(), answer.outcome());
    }

    @Test
    void aMessageThatNeverGetsAReceiptStaysOnItsWay() throws Exception {
        connect(Duration.ZERO);
        String id = sent(SmscSimulator.NO_RECEIPT_NUMBER);

        QueryAnswer answer = connector.query(id, SENDER).join();

        assertEquals(Optional.empty(), answer.outcome());
    }

    @Test
    void aDeliveredMessageIsAnsweredDeliveredWithItsFinalDate() throws Exception {
        connect(Duration.ZERO);
        Instant before = Instant.now().minusSeconds(1);
        String id = sent(HANDSET);

        QueryAnswer answer = connector.query(id, SENDER).join();

        assertEquals(Optional.of(Outcome.DELIVERED), answer.outcome());
        assertTrue(!answer.doneAt().isBefore(before) && !answer.doneAt().isAfter(Instant.now()),
                "done at " + answer.doneAt());
    }

    @Test
    void anUndeliveredMessageIsAnsweredUndeliveredWithItsErrorCode() throws Exception {
        connect(Duration.ZERO);
        String id = sent(SmscSimulator.UNDELIVERED_NUMBER);

        QueryAnswer answer = connector.query(id, SENDER).join();

        assertEquals(Optional.of(Outcome.UNDELIVERED), answer.outcome());
        assertEquals(SmscSimulator.UNDELIVERED_ERROR, answer.errorCode());
    }

    @Test
    void anExpiredMessageIsAnsweredExpired() throws Exception {
        connect(Duration.ZERO);
        String id = sent(SmscSimulator.EXPIRED_NUMBER);

        QueryAnswer answer = connector.query(id, SENDER).join();

        assertEquals(Optional.of(Outcome.EXPIRED), answer.outcome());
    }

    @Test
    void aMessageTheSmscDoesNotKnowIsLeftOpen() throws Exception {
        connect(Duration.ZERO);

        QueryAnswer answer = connector.query("ffffffff", SENDER).join();

        assertEquals(Optional.empty(), answer.outcome());
    }

    @Test
    void aMessageTheSmscDoesNotKnowLeavesTheCarrierAskable() throws Exception {
        connect(Duration.ZERO);
        connector.query("ffffffff", SENDER).join();
        String id = sent(HANDSET);

        QueryAnswer answer = connector.query(id, SENDER).join();

        assertEquals(Optional.of(Outcome.DELIVERED), answer.outcome());
    }

    @Test
    void aCarrierThatRefusesQuerySmDoesNotSupportIt() throws Exception {
        connect(Duration.ZERO);
        simulator.answerQueries(false);
        String id = sent(HANDSET);

        Throwable failure = failureOf(connector.query(id, SENDER));

        assertInstanceOf(QueryUnsupportedException.class, failure);
    }

    @Test
    void aCarrierThatRefusedQuerySmIsNotAskedAgain() throws Exception {
        connect(Duration.ZERO);
        simulator.answerQueries(false);
        String id = sent(HANDSET);
        failureOf(connector.query(id, SENDER));

        Throwable failure = failureOf(connector.query(id, SENDER));

        assertInstanceOf(QueryUnsupportedException.class, failure);
        assertEquals(1, simulator.queryCount(), "query_sm PDUs at the simulator");
    }

    @Test
    void aCarrierThatAnswersQuerySmWithGenericNackDoesNotSupportIt() throws Exception {
        var smsc = open(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
        var peer = new Thread(() -> bindThenNackEverything(smsc), "smsc-nacking");
        peer.setDaemon(true);
        peer.start();
        connector = open(new SmppConnector(SmppSettings.of("127.0.0.1", smsc.getLocalPort(), SYSTEM_ID, PASSWORD,
                1000, 4)));
        connector.start(event -> {});
        assertTrue(connector.isBound(), "bound once started");

        Throwable failure = failureOf(connector.query("abc", SENDER));

        assertInstanceOf(QueryUnsupportedException.class, failure);
    }

    /** Plays an SMSC that accepts a bind_transceiver and answers anything else with generic_nack. */
    private static void bindThenNackEverything(ServerSocket smsc) {
        try (Socket link = smsc.accept();
             var in = new DataInputStream(link.getInputStream());
             var out = new DataOutputStream(link.getOutputStream())) {
            while (true) {
                int length = in.readInt();
                int command = in.readInt();
                in.readInt(); // command_status
                int sequence = in.readInt();
                in.skipNBytes(length - 16L);
                if (command == SMPPConstant.CID_BIND_TRANSCEIVER) {
                    byte[] systemId = "smsc\0".getBytes(StandardCharsets.US_ASCII);
                    out.writeInt(16 + systemId.length);
                    out.writeInt(SMPPConstant.CID_BIND_TRANSCEIVER_RESP);
                    out.writeInt(SMPPConstant.STAT_ESME_ROK);
                    out.writeInt(sequence);
                    out.write(systemId);
                } else if (command == SMPPConstant.CID_UNBIND) {
                    return;
                } else {
                    out.writeInt(16);
                    out.writeInt(SMPPConstant.CID_GENERIC_NACK);
                    out.writeInt(SMPPConstant.STAT_ESME_RINVCMDID);
                    out.writeInt(sequence);
                }
                out.flush();
            }
        } catch (IOException e) {
            // the connector closed the link
        }
    }

    @Test
    void aCarrierThatIsNotBoundCannotBeAskedNow() throws Exception {
        connect(Duration.ZERO);
        String id = sent(HANDSET);
        simulator.close();
        CollectedEvents.await(() -> !connector.isBound(), "the link lost");

        Throwable failure = failureOf(connector.query(id, SENDER));

        assertInstanceOf(CarrierUnavailableException.class, failure);
    }

    @ParameterizedTest(name = "message_state {0} is {1}")
    @CsvSource(nullValues = "OPEN", value = {
        "DELIVERED, DELIVERED", "UNDELIVERABLE, UNDELIVERED", "REJECTED, UNDELIVERED", "DELETED, UNDELIVERED",
        "EXPIRED, EXPIRED", "ENROUTE, OPEN", "ACCEPTED, OPEN", "SCHEDULED, OPEN", "UNKNOWN, OPEN", "SKIPPED, OPEN"})
    void eachMessageStateMeansAnOutcomeOrNone(MessageState state, Outcome outcome) {
        assertEquals(Optional.ofNullable(outcome), QueryStates.outcome(state));
    }

    @Test
    void aFinalDateWithItsOffsetIsReadAsAnInstant() {
        // 2026-12-05 10:30:15.3 at UTC+01:00 (4 quarter hours ahead)
        assertEquals(Optional.of(Instant.parse("2026-12-05T09:30:15.300Z")), QueryStates.finalDate("261205103015304+"));
    }

    @Test
    void aRelativeFinalDateIsNotAnInstant() {
        assertNull(QueryStates.finalDate("000000001000000R").orElse(null));
    }

    private void connect(Duration receiptDelay) throws IOException {
        simulator = open(SmscSimulator.start(0, SYSTEM_ID, PASSWORD, receiptDelay));
        connector = open(new SmppConnector(SmppSettings.of("127.0.0.1", simulator.port(), SYSTEM_ID, PASSWORD, 1000, 4)
                .withReconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(200))));
        connector.start(event -> {});
        assertTrue(connector.isBound(), "bound once started");
    }

    private String sent(String to) {
        CompletableFuture<String> id = connector.submit(new OutboundSms("sms-" + System.nanoTime(), SENDER, to, "hi"))
                .thenApply(result -> result.carrierMessageIds().get(0));
        return id.join();
    }

    private static Throwable failureOf(CompletableFuture<?> future) {
        try {
            future.join();
        } catch (CompletionException e) {
            return e.getCause();
        }
        throw new AssertionError("the future completed normally");
    }

    private <T extends AutoCloseable> T open(T closeable) {
        opened.add(closeable);
        return closeable;
    }
}
