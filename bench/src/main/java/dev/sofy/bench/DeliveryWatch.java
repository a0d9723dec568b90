package dev.sofy.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * The end-to-end figure, while a load generator (wrk) posts SMS as fast as the server takes them:
 * every second, the SMS accepted so far, those that reached {@code delivered}, and the backlog
 * ({@code pending} and {@code sent}); after the load, how long the backlog takes to drain. It
 * first waits for what earlier runs left to drain, then prints {@code watching} for the load to
 * start. Arguments: JDBC URL, user, password, seconds of load, target delivered per second.
 */
public final class DeliveryWatch {
    private static final long DRAIN_PATIENCE_SECONDS = 60;
    private static final int STEADY_FROM_SECOND = 5;

    private DeliveryWatch() {}

    public static void main(String[] args) throws SQLException, InterruptedException {
        int seconds = Integer.parseInt(args[3]);
        int target = Integer.parseInt(args[4]);
        if (seconds <= STEADY_FROM_SECOND) {
            throw new IllegalArgumentException("the load must last more than " + STEADY_FROM_SECOND + " s, not " + seconds);
        }
        try (Connection database = DriverManager.getConnection(args[0], args[1], args[2])) {
            for (long waited = 0; backlog(count(database)) > 0 && waited < DRAIN_PATIENCE_SECONDS; waited++) {
                Thread.sleep(1_000);
            }
            Map<String, Long> before = count(database);
            long rowsBefore = total(before);
            long deliveredBefore = before.getOrDefault("delivered", 0L);
            System.out.println("watching");
            System.out.flush();
            long start = System.nanoTime();
            List<Long> delivered = new ArrayList<>(List.of(0L));
            long accepted = 0;
            long largestBacklog = 0;
            for (int second = 1; second <= seconds; second++) {
                LockSupport.parkNanos(start + second * 1_000_000_000L - System.nanoTime());
                Map<String, Long> now = count(database);
                accepted = total(now) - rowsBefore;
                delivered.add(now.getOrDefault("delivered", 0L) - deliveredBefore);
                largestBacklog = Math.max(largestBacklog, backlog(now));
                System.out.printf("  t=%3ds accepted %8d delivered %8d (+%5d/s) backlog %7d%n", second, accepted,
                        delivered.get(second), delivered.get(second) - delivered.get(second - 1), backlog(now));
            }
            long drainStart = System.nanoTime();
            Map<String, Long> after = count(database);
            while (backlog(after) > 0 && System.nanoTime() - drainStart < DRAIN_PATIENCE_SECONDS * 1_000_000_000L) {
                Thread.sleep(200);
                after = count(database);
            }
            double drain = (System.nanoTime() - drainStart) / 1e9;
            long acceptedInAll = total(after) - rowsBefore;
            double steady = (delivered.get(seconds) - delivered.get(STEADY_FROM_SECOND))
                    / (double) (seconds - STEADY_FROM_SECOND);
            System.out.printf("end-to-end: %d s of load: %d accepted (%.0f/s); %d delivered during the load; steady rate"
                            + " from second %d to the end of the load %.0f delivered/s; largest backlog %d; %s %.1f s"
                            + " after the load; final %s%n",
                    seconds, accepted, accepted / (double) seconds, delivered.get(seconds), STEADY_FROM_SECOND, steady,
                    largestBacklog, backlog(after) == 0 ? "drained" : "NOT drained", drain, after);
            boolean ok = steady >= target && backlog(after) == 0
                    && after.getOrDefault("delivered", 0L) - deliveredBefore == acceptedInAll;
            System.out.println("end-to-end: " + (ok ? "PASS" : "FAIL") + " (target " + target + " delivered/s)");
            System.exit(ok ? 0 : 1);
        }
    }

    private static long backlog(Map<String, Long> statuses) {
        return statuses.getOrDefault("pending", 0L) + statuses.getOrDefault("sent", 0L);
    }

    private static long total(Map<String, Long> statuses) {
        return statuses.values().stream().mapToLong(Long::longValue).sum();
    }

    private static Map<String, Long> count(Connection database) throws SQLException {
        Map<String, Long> statuses = new HashMap<>();
        try (var statement = database.createStatement();
             var rows = statement.executeQuery("SELECT status, COUNT(*) FROM sms GROUP BY status")) {
            while (rows.next()) {
                statuses.put(rows.getString(1), rows.getLong(2));
            }
        }
        return statuses;
    }
}
