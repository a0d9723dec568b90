package dev.sofy.server.delivery.smpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The simulator's state file on its own: what it keeps, and that it stays small. */
class SmscStateFileTest {
    @TempDir
    Path directory;

    private final Map<String, SmscStateFile.Message> owed = new ConcurrentHashMap<>();

    @Test
    void aFileThatGrewPastItsThresholdIsRewrittenWithWhatIsStillOwed() throws Exception {
        Path file = directory.resolve("smsc.state");
        try (SmscStateFile state = SmscStateFile.open(file, () -> List.copyOf(owed.values()), 10).file()) {
            for (int i = 0; i < 100; i++) {
                accept(state, "m" + i);
                if (i % 10 != 0) {
                    settle(state, "m" + i);
                }
            }
        }

        long lines = Files.readAllLines(file).size();
        assertTrue(lines < 60, lines + " lines for 10 messages owed, after 190 written");
    }

    @Test
    void aRewrittenFileStillHoldsEveryMessageOwed() throws Exception {
        Path file = directory.resolve("smsc.state");
        try (SmscStateFile state = SmscStateFile.open(file, () -> List.copyOf(owed.values()), 10).file()) {
            for (int i = 0; i < 100; i++) {
                accept(state, "m" + i);
                if (i % 10 != 0) {
                    settle(state, "m" + i);
                }
            }
        }

        var reopened = SmscStateFile.open(file, List::of);
        try (SmscStateFile held = reopened.file()) {
            assertEquals(owed.keySet(), reopened.owed().keySet());
        }
    }

    private void accept(SmscStateFile state, String id) {
        var message = new SmscStateFile.Message(id, "DELIVRD", System.currentTimeMillis(), System.currentTimeMillis(),
                (byte) 1, (byte) 1, "33600000000", (byte) 1, (byte) 1, "33611111111");
        owed.put(id, message);
        state.accepted(message);
    }

    private void settle(SmscStateFile state, String id) {
        owed.remove(id);
        state.acknowledged(id);
    }
}
