package dev.sofy.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.SQLException;

/**
 * Starts a real PostgreSQL (from a jar, nothing to install) with two databases and prints their
 * JDBC URLs, and one more for each argument ({@code JDBC_URL_<ARGUMENT>=}); stops on end of input.
 */
public final class EmbeddedPostgresServer {
    private EmbeddedPostgresServer() {}

    public static void main(String[] args) throws IOException, SQLException {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            try (var connection = postgres.getPostgresDatabase().getConnection();
                 var statement = connection.createStatement()) {
                statement.execute("CREATE DATABASE second");
                for (String name : args) {
                    statement.execute("CREATE DATABASE " + name);
                }
            }
            for (String name : args) {
                System.out.println("JDBC_URL_" + name.toUpperCase(java.util.Locale.ROOT) + "="
                        + postgres.getJdbcUrl("postgres", name));
            }
            System.out.println("JDBC_URL_SECOND=" + postgres.getJdbcUrl("postgres", "second"));
            System.out.println("JDBC_URL=" + postgres.getJdbcUrl("postgres", "postgres"));
            System.out.flush();
            while (System.in.read() != -1) {
                // Runs until the script closes our standard input.
            }
        }
    }
}
