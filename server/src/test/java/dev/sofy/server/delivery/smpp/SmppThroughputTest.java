package dev.sofy.server.delivery.smpp;

import static dev.sofy.server.delivery.smpp.CollectedEvents.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sofy.server.delivery.OutboundSms;
import dev.sofy.server.delivery.SubmitResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Not a benchmark: a rough figure, printed, of what the connector sustains against the simulator. */
class SmppThroughputTest {
    @TempDir
    Path directory;

    private static final int MESSAGES = 20_000;

    @Test
    void twentyThousandSmsGetSubmittedAndReceiptedAndTheRateIsPrinted() throws Exception {
        var events = new CollectedEvents();
        // with a state file, as the simulator runs in the server and the benchmark
        try (var simulator = SmscSimulator.start(0, "sofy", "secret", Duration.ofMillis(100),
                Optional.of(directory.resolve("smsc.state")));
             var connector = new SmppConnector(SmppSettings.of("127.0.0.1", simulator.port(), "sofy", "secret",
                     1_000_000, 64))) {
            connector.start(events);
            warmUp(connector, events);
            long receiptsBefore = events.receiptCount();

            long start = System.nanoTime();
            List<CompletableFuture<SubmitResult>> futures = new ArrayList<>(MESSAGES);
            for (int i = 0; i < MESSAGES; i++) {
                futures.add(connector.submit(new OutboundSms("sms-" + i, "APITEST", "33612345678", "Message " + i)));
            }
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
            long submitted = System.nanoTime();
            await(() -> events.receiptCount() - receiptsBefore >= MESSAGES, "every receipt", Duration.ofSeconds(120));
            long receipted = System.nanoTime();

            double submitSeconds = (submitted - start) / 1e9;
            double receiptSeconds = (receipted - start) / 1e9;
            System.out.printf("SMPP throughput: %,d SMS submitted in %.2f s (%,.0f/s), all receipts after %.2f s "
                    + "(%,.0f/s end to end, receipt delay 100 ms)%n",
                    MESSAGES, submitSeconds, MESSAGES / submitSeconds, receiptSeconds, MESSAGES / receiptSeconds);
            assertEquals(MESSAGES, events.receiptCount() - receiptsBefore);
        }
    }

    private static void warmUp(SmppConnector connector, CollectedEvents events) throws InterruptedException {
        List<CompletableFuture<SubmitResult>> futures = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            futures.add(connector.submit(new OutboundSms("warm-" + i, "APITEST", "33612345678", "Warm up " + i)));
        }
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
        await(() -> events.receiptCount() >= 2_000, "the warm-up receipts", Duration.ofSeconds(60));
        TimeUnit.MILLISECONDS.sleep(200);
    }
}
