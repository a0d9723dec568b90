package dev.sofy.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;

/** Starts a real PostgreSQL (from a jar, nothing to install) and prints its JDBC URL; stops on end of input. */
public final class EmbeddedPostgresServer {
    private EmbeddedPostgresServer() {}

    public static void main(String[] args) throws IOException {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            System.out.println("JDBC_URL=" + postgres.getJdbcUrl("postgres", "postgres"));
            System.out.flush();
            while (System.in.read() != -1) {
                // Runs until the script closes our standard input.
            }
        }
    }
}
