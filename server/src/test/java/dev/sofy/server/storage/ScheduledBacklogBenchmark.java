package dev.sofy.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sofy.server.delivery.Claimed;
import dev.sofy.server.sms.Message;
import dev.sofy.server.sms.Status;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * A benchmark, not a test: how long a claim of 500 due SMS takes on an H2 file database with no
 * scheduled SMS, then with {@code -Dsofy.bench.scheduled=N} of them scheduled for tomorrow. Prints
 * the figures; run it on its own:
 * {@code mvn -B -o -pl server test -Dtest=ScheduledBacklogBenchmark -Dsofy.bench.scheduled=1000000}.
 */
@EnabledIfSystemProperty(named = "sofy.bench.scheduled", matches = "[0-9]+")
class ScheduledBacklogBenchmark {
    private static final int DUE = 500;
    private static final int ROUNDS = 30;

    @TempDir
    Path directory;

    private int created;

    @Test
    void claimsOfDueSmsWithAndWithoutAScheduledBacklog() throws Exception {
        int scheduled = Integer.getInteger("sofy.bench.scheduled");
        try (Database database = Database.open(ContractDatabases.emptyH2(directory));
             CommitQueue writes = new CommitQueue(database.jdbi(), Clock.systemUTC())) {
            var sms = new JdbiSmsStore(database.jdbi(), writes);
            var lifecycle = new JdbiLifecycleStore(database.jdbi(), writes);
            var keys = new JdbiKeyStore(database.jdbi());
            keys.saveKey("bench", "bench-key", "a".repeat(64), null, null, Instant.now());
            long account = keys.findKey("bench-key").orElseThrow().account().id();

            claims(sms, lifecycle, account); // warm-up: the JIT, the pool, H2's caches
            long[] without = claims(sms, lifecycle, account);
            Instant tomorrow = Instant.now().plus(Duration.ofDays(1)).truncatedTo(ChronoUnit.MICROS);
            long started = System.nanoTime();
            for (int done = 0; done < scheduled; done += 10_000) {
                List<CompletableFuture<Void>> batch = new ArrayList<>();
                for (int i = done; i < Math.min(scheduled, done + 10_000); i++) {
                    batch.add(insert(sms, account, tomorrow.plusMillis(i)));
                }
                batch.forEach(CompletableFuture::join);
            }
            System.out.printf("inserted %,d scheduled SMS in %.1f s%n", scheduled, (System.nanoTime() - started) / 1e9);
            long[] with = claims(sms, lifecycle, account);

            System.out.printf("claim of %d due SMS, %d rounds, ms: without scheduled SMS median %.2f p90 %.2f;"
                    + " with %,d scheduled median %.2f p90 %.2f%n", DUE, ROUNDS, percentile(without, 50),
                    percentile(without, 90), scheduled, percentile(with, 50), percentile(with, 90));
        }
    }

    private CompletableFuture<Void> insert(JdbiSmsStore sms, long account, Instant sendAt) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        String id = String.format("bench-%015d", ++created);
        return sms.insert(new Message(id, account, "APITEST", "33612345678", "Hello", false, true, Status.PENDING, "",
                now, now, 1, "GSM-7", (sendAt == null ? now : sendAt).plus(Duration.ofDays(2)), null, null)
                .withSendAt(sendAt),
                List.of(), null);
    }

    /** Each round: 500 SMS due now, then one timed claim that takes them all. */
    private long[] claims(JdbiSmsStore sms, JdbiLifecycleStore lifecycle, long account) {
        long[] nanos = new long[ROUNDS];
        for (int round = 0; round < ROUNDS; round++) {
            List<CompletableFuture<Void>> due = new ArrayList<>();
            for (int i = 0; i < DUE; i++) {
                due.add(insert(sms, account, null));
            }
            due.forEach(CompletableFuture::join);
            Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
            long started = System.nanoTime();
            List<Claimed> claimed = lifecycle.claimDue("bench", DUE, now, now.plus(Duration.ofMinutes(5)));
            nanos[round] = System.nanoTime() - started;
            assertEquals(DUE, claimed.size());
        }
        return nanos;
    }

    private static double percentile(long[] nanos, int percent) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, sorted.length * percent / 100)] / 1e6;
    }
}
