package dev.sofy.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sofy.server.routing.Route;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The carriers file: what a good one gives, and the one line that says why a bad one cannot be used. */
class CarriersFileTest {
    /** The README's example. */
    static final String EXAMPLE = """
            carriers:
              - name: mainland        # [a-z0-9-]{1,32}, unique
                host: smsc.example.net
                port: 2775
                systemId: sofy
                password: secret
                binds: 2              # transceiver sessions to open to this SMSC
                submitRate: 200       # submit_sm per second, all binds together
                window: 64            # unanswered submit_sm per bind
              - name: fallback
                host: 127.0.0.1
                port: 2776
                systemId: sofy
                password: secret
            routes:                   # first match wins
              - prefixes: ["33", "590", "594", "596", "262"]
                carriers: [mainland, fallback]   # in order of preference
              - carriers: [fallback]             # no prefixes: every other number
            """;

    @TempDir
    Path directory;

    private Path file(String yaml) throws IOException {
        Path file = directory.resolve("carriers.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private Config configWith(Path file) {
        return Config.from(Map.of("SOFY_CARRIERS_FILE", file.toString()));
    }

    /** The message of the server's refusal to start with this file. */
    private String refusal(String yaml) throws IOException {
        Path file = file(yaml);
        return assertThrows(IllegalArgumentException.class, () -> configWith(file)).getMessage()
                .replace(file.toString(), "carriers.yaml");
    }

    /** The example with one line replaced. */
    private static String exampleWith(String line, String replacement) {
        if (!EXAMPLE.contains(line)) {
            throw new IllegalArgumentException("not in the example: " + line);
        }
        return EXAMPLE.replace(line, replacement);
    }

    @Test
    void theReadmeExampleDeclaresTwoCarriersWithTheirSettings() throws IOException {
        CarrierPlan plan = configWith(file(EXAMPLE)).carriers().orElseThrow();

        assertEquals(List.of(
                new CarrierPlan.Carrier("mainland", "smsc.example.net", 2775, "sofy", "secret", 2, 200, 64),
                new CarrierPlan.Carrier("fallback", "127.0.0.1", 2776, "sofy", "secret", 1, 5000, 64)),
                plan.carriers());
    }

    @Test
    void theReadmeExampleDeclaresItsRoutesInOrder() throws IOException {
        CarrierPlan plan = configWith(file(EXAMPLE)).carriers().orElseThrow();

        assertEquals(List.of(
                new Route(List.of("33", "590", "594", "596", "262"), Set.of(), Set.of(), List.of("mainland", "fallback")),
                new Route(List.of(), Set.of(), Set.of(), List.of("fallback"))),
                plan.routes().routes());
    }

    @Test
    void routesMayMatchOnAccountsAndSenders() throws IOException {
        String yaml = exampleWith("  - prefixes: [\"33\", \"590\", \"594\", \"596\", \"262\"]\n",
                "  - accounts: [acme]\n    senders: [ACME, Acme-Shop]\n");

        Route route = configWith(file(yaml)).carriers().orElseThrow().routes().routes().get(0);

        assertEquals(new Route(List.of(), Set.of("acme"), Set.of("ACME", "Acme-Shop"), List.of("mainland", "fallback")),
                route);
    }

    @Test
    void withoutTheVariableThereIsNoCarriersFile() {
        assertEquals(java.util.Optional.empty(), Config.from(Map.of()).carriers());
    }

    @Test
    void anUnknownCarrierInARouteNamesItsLineAndField() throws IOException {
        assertEquals("SOFY_CARRIERS_FILE carriers.yaml, line 18: routes[1].carriers[0]: unknown carrier 'mainlnd'",
                refusal(exampleWith("carriers: [fallback]             #", "carriers: [mainlnd]             #")));
    }

    @Test
    void aDuplicateCarrierNameIsRefused() throws IOException {
        assertEquals("SOFY_CARRIERS_FILE carriers.yaml, line 10: carriers[1].name: duplicate carrier name 'mainland'"
                        + " (also carriers[0].name, line 2)",
                refusal(exampleWith("- name: fallback", "- name: mainland")));
    }

    @Test
    void aNameOutsideItsPatternIsRefused() throws IOException {
        assertEquals("SOFY_CARRIERS_FILE carriers.yaml, line 10: carriers[1].name: must be 1 to 32 lowercase letters,"
                        + " digits or '-', not 'Fallback'",
                refusal(exampleWith("- name: fallback", "- name: Fallback")));
    }

    @Test
    void aPortOutOfRangeIsRefused() throws IOException {
        assertEquals("SOFY_CARRIERS_FILE carriers.yaml, line 4: carriers[0].port: must be a whole number from 1 to"
                        + " 65535, not '70000'",
                refusal(exampleWith("port: 2775", "port: 70000")));
    }

    @Test
    void tooManyBindsAreRefused() throws IOException {
        assertEquals("SOFY_CARRIERS_FILE carriers.yaml, line 7: carriers[0].binds: must be a whole number from 1 to"
                        + " 16, not '17'",
                refusal(exampleWith("binds: 2 ", "binds: 17 ")));
    }

    @Test
    void aSubmitRateOfZeroIsRefused() throws IOException {
        assertEquals("SOFY_CARRIERS_FILE carriers.yaml, line 8: carriers[0].submitRate: must be a whole number from"
                        + " 1 to 100000, not '0'",
                refusal(exampleWith("submitRate: 200", "submitRate: 0")));
    }

    @Test
    void aWindowThatIsNotANumberIsRefused() throws IOException {
        assertEquals("SOFY_CARRIERS_FILE carriers.yaml, line 9: carriers[0].window: must be a whole number from"
                        + " 1 to 1000, not 'many'",
                refusal(exampleWith("window: 64", "window: many")));
    }

    @Test
    void aPasswordLongerThanSmppAllowsIsRefused() throws IOException {
        assertEquals("SOFY_CARRIERS_FILE carriers.yaml, line 6: carriers[0].password: must have 1 to 8 characters",
                refusal(exampleWith("    password: secret\n    binds", "    password: secret-too-long\n    binds")));
    }

    @Test
    void aMissingHostNamesTheCarrier() throws IOException {
        assertEquals("SOFY_CARRIERS_FILE carriers.yaml, line 10: carriers[1].host: missing",
                refusal(exampleWith("    host: 127.0.0.1\n", "")));
    }

    @Test
    void anUnknownFieldIsRefusedRatherThanIgnored() throws IOException {
        assertEquals("SOFY_CARRIERS_FILE carriers.yaml, line 9: carriers[0].windows: unknown field (known: name, host,"
                        + " port, systemId, password, binds, submitRate, window)",
                refusal(exampleWith("window: 64", "windows: 64")));
    }

    @Test
    void aPrefixThatIsNotDigitsIsRefused() throws IOException {
        assertEquals("SOFY_CARRIERS_FILE carriers.yaml, line 16: routes[0].prefixes[1]: must be 1 to 15 digits of"
                        + " international numbers, without '+', not '+590'",
                refusal(exampleWith("\"590\"", "\"+590\"")));
    }

    @Test
    void aCarrierNamedTwiceInARouteIsRefused() throws IOException {
        assertEquals("SOFY_CARRIERS_FILE carriers.yaml, line 17: routes[0].carriers[1]: carrier 'mainland' is named twice",
                refusal(exampleWith("[mainland, fallback]", "[mainland, mainland]")));
    }

    @Test
    void routesWithoutADefaultRouteAreRefused() throws IOException {
        assertEquals("SOFY_CARRIERS_FILE carriers.yaml, line 15: routes: missing default route: the last route must"
                        + " have no prefixes, accounts or senders, so that every SMS has a carrier",
                refusal(exampleWith("  - carriers: [fallback]", "  - senders: [ACME]\n    carriers: [fallback]")));
    }

    @Test
    void aRouteAfterTheDefaultRouteIsRefusedAsNeverUsed() throws IOException {
        assertEquals("SOFY_CARRIERS_FILE carriers.yaml, line 19: routes[2]: never used: routes[1] before it matches"
                        + " every SMS",
                refusal(EXAMPLE + "  - prefixes: [\"44\"]\n    carriers: [mainland]\n"));
    }

    @Test
    void aFileWithoutRoutesIsRefused() throws IOException {
        assertEquals("SOFY_CARRIERS_FILE carriers.yaml, line 1: routes: missing",
                refusal(EXAMPLE.substring(0, EXAMPLE.indexOf("routes:"))));
    }

    @Test
    void aMissingFileIsRefused() {
        Path missing = directory.resolve("absent.yaml");
        assertEquals("SOFY_CARRIERS_FILE " + missing + ": no such file",
                assertThrows(IllegalArgumentException.class, () -> configWith(missing)).getMessage());
    }

    @Test
    void yamlThatDoesNotParseNamesItsLine() throws IOException {
        String message = refusal(exampleWith("    systemId: sofy\n    password: secret\n    binds",
                "    systemId: [sofy\n    password: secret\n    binds"));
        assertEquals("SOFY_CARRIERS_FILE carriers.yaml, line 6: not valid YAML:",
                message.substring(0, "SOFY_CARRIERS_FILE carriers.yaml, line 6: not valid YAML:".length()));
    }

    @Test
    void aDuplicateKeyIsRefused() throws IOException {
        assertEquals("SOFY_CARRIERS_FILE carriers.yaml, line 5: not valid YAML: Duplicate field 'port'",
                refusal(exampleWith("port: 2775\n", "port: 2775\n    port: 2777\n")));
    }

    @Test
    void aCarriersFileWithAnSmscHostIsRefusedRatherThanOneIgnored() throws IOException {
        Path file = file(EXAMPLE);
        var both = Map.of("SOFY_CARRIERS_FILE", file.toString(), "SOFY_SMPP_HOST", "smsc.example.net");

        assertEquals("SOFY_CARRIERS_FILE and SOFY_SMPP_HOST cannot both be set: the carriers file declares every SMSC",
                assertThrows(IllegalArgumentException.class, () -> Config.from(both)).getMessage());
    }

    @Test
    void receiptQueriesWaitTenMinutesUnlessTold() {
        assertEquals(Duration.ofMinutes(10), Config.from(Map.of()).receiptQueryAfter());
        assertEquals(Duration.ofSeconds(30), Config.from(Map.of("SOFY_RECEIPT_QUERY_AFTER", "30s")).receiptQueryAfter());
    }
}
