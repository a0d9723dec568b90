package dev.sofy.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.concurrent.locks.LockSupport;

/**
 * How long the backlog ({@code pending} and {@code sent}) takes to drain once a load ends. It
 * connects first, so that its own start does not count, waits for the load's end, then reads the
 * backlog every 100 ms. Arguments: JDBC URL, user, password, the load's end (epoch milliseconds),
 * patience in seconds. Prints {@code backlog: N at the load's end; drained after S s} or
 * {@code NOT drained}.
 */
public final class BacklogDrain {
    private BacklogDrain() {}

    public static void main(String[] args) throws SQLException {
        long end = Long.parseLong(args[3]);
        long patience = Long.parseLong(args[4]) * 1_000;
        try (Connection database = DriverManager.getConnection(args[0], args[1], args[2])) {
            backlog(database);
            LockSupport.parkNanos(Math.max(0, end - System.currentTimeMillis()) * 1_000_000L);
            long start = System.currentTimeMillis();
            long atEnd = backlog(database);
            long left = atEnd;
            while (left > 0 && System.currentTimeMillis() - start < patience) {
                LockSupport.parkNanos(100_000_000L);
                left = backlog(database);
            }
            double seconds = (System.currentTimeMillis() - start) / 1e3;
            System.out.printf("backlog: %d at the load's end; %s after %.1f s%n", atEnd,
                    left == 0 ? "drained" : "NOT drained (" + left + " left)", seconds);
        }
    }

    private static long backlog(Connection database) throws SQLException {
        try (var statement = database.createStatement();
             var rows = statement.executeQuery("SELECT COUNT(*) FROM sms WHERE status IN ('pending', 'sent')")) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
