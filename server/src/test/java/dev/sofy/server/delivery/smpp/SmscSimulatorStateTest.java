package dev.sofy.server.delivery.smpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sofy.server.delivery.CarrierEvent;
import dev.sofy.server.delivery.CarrierEvent.Outcome;
import dev.sofy.server.delivery.OutboundSms;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The simulator's state file: what it accepted and still owes survives a restart. */
class SmscSimulatorStateTest {
    private static final String SYSTEM_ID = "sofy";
    private static final String PASSWORD = "secret";
    private static final String HANDSET = "33612345678";

    @TempDir
    Path directory;

    private final List<AutoCloseable> opened = new ArrayList<>();
    private final CollectedEvents events = new CollectedEvents();

    @AfterEach
    void closeEverything() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
    }

    @Test
    void aRestartedSimulatorDeliversTheReceiptsItStillOwed() throws Exception {
        Path state = directory.resolve("smsc.state");
        String id;
        try (SmscSimulator first = SmscSimulator.start(0, SYSTEM_ID, PASSWORD, Duration.ofMillis(500), Optional.of(state));
             SmppConnector connector = connector(first, event -> {})) {
            id = send(connector, HANDSET);
        }
        SmscSimulator second = open(SmscSimulator.start(0, SYSTEM_ID, PASSWORD, Duration.ofHours(1), Optional.of(state)));

        open(connector(second, events));

        assertEquals(Outcome.DELIVERED, events.awaitReceipt(id).outcome());
    }

    @Test
    void aRestartedSimulatorKeepsTheOutcomeOfEachNumber() throws Exception {
        Path state = directory.resolve("smsc.state");
        String id;
        try (SmscSimulator first = SmscSimulator.start(0, SYSTEM_ID, PASSWORD, Duration.ofHours(1), Optional.of(state));
             SmppConnector connector = connector(first, event -> {})) {
            id = send(connector, SmscSimulator.UNDELIVERED_NUMBER);
        }
        SmscSimulator second = open(SmscSimulator.start(0, SYSTEM_ID, PASSWORD, Duration.ZERO, Optional.of(state)));
        SmppConnector connector = open(connector(second, events));

        assertEquals(Optional.empty(), connector.query(id, "APITEST").join().outcome(),
                "its receipt is due an hour after its submit, whatever the new delay");
    }

    @Test
    void receiptsTheEsmeAcknowledgedAreNotOwedAfterARestart() throws Exception {
        Path state = directory.resolve("smsc.state");
        try (SmscSimulator first = SmscSimulator.start(0, SYSTEM_ID, PASSWORD, Duration.ZERO, Optional.of(state));
             SmppConnector connector = connector(first, events)) {
            events.awaitReceipt(send(connector, HANDSET));
        }

        SmscSimulator second = open(SmscSimulator.start(0, SYSTEM_ID, PASSWORD, Duration.ZERO, Optional.of(state)));

        assertEquals(0, second.owedReceiptCount());
    }

    @Test
    void aMessageThatNeverGetsAReceiptIsStillKnownAfterARestart() throws Exception {
        Path state = directory.resolve("smsc.state");
        try (SmscSimulator first = SmscSimulator.start(0, SYSTEM_ID, PASSWORD, Duration.ZERO, Optional.of(state));
             SmppConnector connector = connector(first, events)) {
            send(connector, SmscSimulator.NO_RECEIPT_NUMBER);
        }

        SmscSimulator second = open(SmscSimulator.start(0, SYSTEM_ID, PASSWORD, Duration.ZERO, Optional.of(state)));

        assertEquals(1, second.owedReceiptCount());
    }

    @Test
    void theStateFileIsReadableByItsOwnerOnly() throws Exception {
        Path state = directory.resolve("smsc.state");

        open(SmscSimulator.start(0, SYSTEM_ID, PASSWORD, Duration.ZERO, Optional.of(state)));

        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(state)));
    }

    @Test
    void aDirectoryItCreatesForItsStateIsItsOwnersOnly() throws Exception {
        Path state = directory.resolve("data").resolve("smsc.state");

        open(SmscSimulator.start(0, SYSTEM_ID, PASSWORD, Duration.ZERO, Optional.of(state)));

        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(state.getParent())));
    }

    @Test
    void twoSimulatorsCannotShareAStateFile() throws Exception {
        Path state = directory.resolve("smsc.state");
        open(SmscSimulator.start(0, SYSTEM_ID, PASSWORD, Duration.ZERO, Optional.of(state)));

        var refused = assertThrows(IllegalStateException.class,
                () -> SmscSimulator.start(0, SYSTEM_ID, PASSWORD, Duration.ZERO, Optional.of(state)));

        assertTrue(refused.getMessage().contains("in use"), refused.getMessage());
    }

    @Test
    void aTruncatedLastLineLeavesTheOtherMessagesOwed() throws Exception {
        Path state = directory.resolve("smsc.state");
        try (SmscSimulator first = SmscSimulator.start(0, SYSTEM_ID, PASSWORD, Duration.ofHours(1), Optional.of(state));
             SmppConnector connector = connector(first, event -> {})) {
            send(connector, HANDSET);
        }
        Files.writeString(state, "{\"accepted\":{\"id\":\"abc", StandardOpenOption.APPEND);

        SmscSimulator second = open(SmscSimulator.start(0, SYSTEM_ID, PASSWORD, Duration.ZERO, Optional.of(state)));

        assertEquals(1, second.owedReceiptCount());
    }

    private static SmppConnector connector(SmscSimulator simulator, Consumer<CarrierEvent> listener) {
        var connector = new SmppConnector(SmppSettings.of("127.0.0.1", simulator.port(), SYSTEM_ID, PASSWORD, 1000, 4)
                .withReconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(200)));
        connector.start(listener);
        return connector;
    }

    private static String send(SmppConnector connector, String to) {
        return connector.submit(new OutboundSms("sms-" + System.nanoTime(), "APITEST", to, "hi")).join()
                .carrierMessageIds().get(0);
    }

    private <T extends AutoCloseable> T open(T closeable) {
        opened.add(closeable);
        return closeable;
    }
}
