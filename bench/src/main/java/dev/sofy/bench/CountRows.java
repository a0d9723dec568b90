package dev.sofy.bench;

import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * Prints {@code SELECT COUNT(*)} of a table, or of a join:
 * {@code CountRows <jdbc url> <user> <password> <table> [<condition>]}, the condition being SQL of the bench's own.
 */
public final class CountRows {
    private CountRows() {}

    public static void main(String[] args) throws SQLException {
        try (var connection = DriverManager.getConnection(args[0], args[1], args[2]);
             var statement = connection.createStatement();
             var rows = statement.executeQuery("SELECT COUNT(*) FROM " + args[3]
                     + (args.length > 4 ? " WHERE " + args[4] : ""))) {
            rows.next();
            System.out.println(rows.getLong(1));
        }
    }
}
