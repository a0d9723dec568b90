package dev.sofy.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The end-to-end figure: SMS sent at a steady rate (open loop) for a while, and every second how
 * many reached {@code delivered} through the dispatcher and the SMSC simulator, with the backlog
 * ({@code pending} and {@code sent}). Arguments: base URL, key id, key secret, JDBC URL, user,
 * password, rate per second, seconds, target rate.
 */
public final class EndToEndLoad {
    private static final String BODY =
            "{\"from\":\"APITEST\",\"to\":\"590690112233\",\"body\":\"Hello world\",\"isTransactional\":true}";
    /** Like wrk's connections: the JDK client opens one a request in flight. */
    private static final int MAX_IN_FLIGHT = 256;
    private static final Duration DRAIN_PATIENCE = Duration.ofSeconds(60);

    private EndToEndLoad() {}

    public static void main(String[] args) throws Exception {
        URI uri = URI.create(args[0] + "/v1/sms");
        String keyId = args[1];
        String secret = args[2];
        int rate = Integer.parseInt(args[6]);
        int seconds = Integer.parseInt(args[7]);
        int target = Integer.parseInt(args[8]);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        var accepted = new AtomicLong();
        var failed = new AtomicLong();
        var inFlight = new Semaphore(MAX_IN_FLIGHT);
        try (Connection database = DriverManager.getConnection(args[3], args[4], args[5])) {
            long start = System.nanoTime();
            long interval = 1_000_000_000L / rate;
            long total = (long) rate * seconds;
            long deliveredBefore = Sampler.count(database).getOrDefault("delivered", 0L);
            var sampler = new Sampler(database, accepted, start);
            sampler.start();
            for (long i = 0; i < total; i++) {
                LockSupport.parkNanos(start + i * interval - System.nanoTime());
                inFlight.acquire();
                HttpRequest request = HttpRequest.newBuilder(uri)
                        .timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/json")
                        .header("X-API-KEY-ID", keyId)
                        .header("X-API-KEY-SECRET", secret)
                        .POST(HttpRequest.BodyPublishers.ofString(BODY))
                        .build();
                client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
                    inFlight.release();
                    if (error == null && response.statusCode() == 201) {
                        accepted.incrementAndGet();
                    } else {
                        failed.incrementAndGet();
                    }
                });
            }
            inFlight.acquire(MAX_IN_FLIGHT);
            double sendingSeconds = (System.nanoTime() - start) / 1e9;
            long deliveredAtEndOfSending = sampler.delivered() - deliveredBefore;
            long drainDeadline = System.nanoTime() + DRAIN_PATIENCE.toNanos();
            while (sampler.backlog() > 0 && System.nanoTime() < drainDeadline) {
                Thread.sleep(200);
            }
            sampler.stopAndJoin();
            Map<String, Long> statuses = Sampler.count(database);
            double drain = (System.nanoTime() - start) / 1e9 - sendingSeconds;
            double sustained = sampler.deliveredBetween(5, (int) Math.floor(sendingSeconds)) ;
            // The server may accept more slowly than offered: say how long the sending really took.
            System.out.printf("end-to-end: offered %d SMS/s for %d s: %d accepted, %d failed, in %.1f s (%.0f accepted/s);"
                            + " delivered during the sending %d (%.0f/s); steady rate from second 5 to the end of sending"
                            + " %.0f delivered/s; largest backlog %d; drained %.1f s after the sending; final %s%n",
                    rate, seconds, accepted.get(), failed.get(), sendingSeconds, accepted.get() / sendingSeconds,
                    deliveredAtEndOfSending,
                    deliveredAtEndOfSending / sendingSeconds, sustained, sampler.largestBacklog(), drain, statuses);
            boolean ok = sustained >= target && failed.get() == 0
                    && statuses.getOrDefault("delivered", 0L) - deliveredBefore == accepted.get();
            System.out.println("end-to-end: " + (ok ? "PASS" : "FAIL") + " (target " + target + " delivered/s)");
            System.exit(ok ? 0 : 1);
        }
    }

    /** Counts the SMS by status every second, printing a line each time. */
    private static final class Sampler extends Thread {
        private final Connection database;
        private final AtomicLong accepted;
        private final long start;
        private final Map<Integer, Long> deliveredAtSecond = new HashMap<>();
        private volatile boolean running = true;
        private volatile long delivered;
        private volatile long backlog = Long.MAX_VALUE;
        private volatile long largestBacklog;

        Sampler(Connection database, AtomicLong accepted, long start) {
            super("sampler");
            this.database = database;
            this.accepted = accepted;
            this.start = start;
            setDaemon(true);
        }

        @Override
        public void run() {
            long previous = 0;
            int second = 0;
            while (running) {
                LockSupport.parkNanos(start + (second + 1) * 1_000_000_000L - System.nanoTime());
                second++;
                try {
                    Map<String, Long> statuses = count(database);
                    delivered = statuses.getOrDefault("delivered", 0L);
                    backlog = statuses.getOrDefault("pending", 0L) + statuses.getOrDefault("sent", 0L);
                    largestBacklog = Math.max(largestBacklog, backlog);
                    synchronized (deliveredAtSecond) {
                        deliveredAtSecond.put(second, delivered);
                    }
                    System.out.printf("  t=%3ds accepted %8d delivered %8d (+%5d/s) backlog %7d%n",
                            second, accepted.get(), delivered, delivered - previous, backlog);
                    previous = delivered;
                } catch (SQLException e) {
                    System.out.println("  t=" + second + "s could not count: " + e.getMessage());
                }
            }
        }

        static Map<String, Long> count(Connection database) throws SQLException {
            Map<String, Long> statuses = new HashMap<>();
            try (var statement = database.createStatement();
                 var rows = statement.executeQuery("SELECT status, COUNT(*) FROM sms GROUP BY status")) {
                while (rows.next()) {
                    statuses.put(rows.getString(1), rows.getLong(2));
                }
            }
            return statuses;
        }

        long delivered() {
            return delivered;
        }

        long backlog() {
            return backlog;
        }

        long largestBacklog() {
            return largestBacklog;
        }

        double deliveredBetween(int fromSecond, int toSecond) {
            synchronized (deliveredAtSecond) {
                Long from = deliveredAtSecond.get(fromSecond);
                Long to = deliveredAtSecond.get(toSecond);
                return from == null || to == null || toSecond <= fromSecond ? 0 : (to - from) / (double) (toSecond - fromSecond);
            }
        }

        void stopAndJoin() throws InterruptedException {
            running = false;
            interrupt();
            join(2_000);
        }
    }
}
