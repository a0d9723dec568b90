package dev.sofy.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server jar refuses to start with a carriers file it cannot use, saying why in one line. */
final class CarriersFileIT {
    @TempDir
    Path directory;

    @Test
    void aCarriersFileWithAnUnknownCarrierStopsTheServerWithOneLineNamingTheFileLineAndField() throws Exception {
        Path file = directory.resolve("carriers.yaml");
        Files.writeString(file, """
                carriers:
                  - name: mainland
                    host: 127.0.0.1
                    systemId: sofy
                    password: secret
                routes:
                  - carriers: [mainlnd]
                """);

        CommandRun run = CommandRun.of(Map.of(
                "SOFY_CARRIERS_FILE", file.toString(),
                "SOFY_DB_URL", "jdbc:h2:file:" + directory.resolve("sofy")), directory, "serve");

        assertEquals(List.of(1, "sofy-server: SOFY_CARRIERS_FILE " + file
                        + ", line 7: routes[0].carriers[0]: unknown carrier 'mainlnd'"),
                List.of(run.exitCode(), run.stderr().strip()), run.describe());
    }
}
