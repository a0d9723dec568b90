package dev.sofy.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConfigTest {

    @Test
    void withNoVariablesTheServerListensOnLoopbackPort8080WithAnH2FileDatabase() {
        Config config = Config.from(Map.of());
        assertEquals("127.0.0.1", config.host());
        assertEquals(8080, config.port());
        assertEquals("jdbc:h2:file:./data/sofy", config.dbUrl());
        assertEquals(Optional.empty(), config.bootstrapKey());
    }

    @Test
    void variablesOverrideTheDefaults() {
        Config config = Config.from(Map.of(
                "SOFY_HOST", "0.0.0.0",
                "SOFY_PORT", "9090",
                "SOFY_DB_URL", "jdbc:postgresql://localhost/sofy",
                "SOFY_DB_USER", "sofy",
                "SOFY_BOOTSTRAP_KEY_ID", "ci",
                "SOFY_BOOTSTRAP_KEY_SECRET", "a-long-enough-secret-0123456789-abcdef"));
        assertEquals("0.0.0.0", config.host());
        assertEquals(9090, config.port());
        assertEquals("jdbc:postgresql://localhost/sofy", config.dbUrl());
        assertEquals("sofy", config.dbUser());
        assertEquals(Optional.of(new Config.BootstrapKey("ci", "a-long-enough-secret-0123456789-abcdef")), config.bootstrapKey());
    }

    @Test
    void withNoSmppVariablesTheBuiltInSimulatorIsTheSmsc() {
        Config.Smpp smpp = Config.from(Map.of()).smpp();
        assertTrue(smpp.usesSimulator());
        assertEquals(new Config.Smpp("", 2775, "sofy", "sofy", 5000, 64, Duration.ofMillis(100)), smpp);
    }

    @Test
    void smppVariablesNameARealSmscAndItsPace() {
        Config.Smpp smpp = Config.from(Map.of(
                "SOFY_SMPP_HOST", "smsc.example.net",
                "SOFY_SMPP_PORT", "3775",
                "SOFY_SMPP_SYSTEM_ID", "acme",
                "SOFY_SMPP_PASSWORD", "secret",
                "SOFY_SMPP_SUBMIT_RATE", "200",
                "SOFY_SMPP_WINDOW", "10",
                "SOFY_SIMULATOR_RECEIPT_DELAY_MS", "0")).smpp();
        assertFalse(smpp.usesSimulator());
        assertEquals(new Config.Smpp("smsc.example.net", 3775, "acme", "secret", 200, 10, Duration.ZERO), smpp);
    }

    @Test
    void anSmppPasswordLongerThanSmppAllowsIsRefusedByName() {
        var error = assertThrows(IllegalArgumentException.class,
                () -> Config.from(Map.of("SOFY_SMPP_PASSWORD", "ninechars")));
        assertTrue(error.getMessage().contains("SOFY_SMPP_PASSWORD"), error.getMessage());
    }

    @Test
    void aSubmitWindowOfZeroIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Config.from(Map.of("SOFY_SMPP_WINDOW", "0")));
    }

    @Test
    void aPortThatIsNotANumberIsRefusedByName() {
        var error = assertThrows(IllegalArgumentException.class, () -> Config.from(Map.of("SOFY_PORT", "http")));
        assertTrue(error.getMessage().contains("SOFY_PORT"), error.getMessage());
    }

    @Test
    void logsAreTextUnlessJsonIsAsked() {
        assertEquals(Config.LogFormat.TEXT, Config.from(Map.of()).logFormat());
        assertEquals(Config.LogFormat.JSON, Config.from(Map.of("SOFY_LOG_FORMAT", "json")).logFormat());
    }

    @Test
    void anUnknownLogFormatIsRefusedByName() {
        var error = assertThrows(IllegalArgumentException.class, () -> Config.from(Map.of("SOFY_LOG_FORMAT", "xml")));
        assertTrue(error.getMessage().contains("SOFY_LOG_FORMAT"), error.getMessage());
    }

    @Test
    void aPortOutOfRangeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Config.from(Map.of("SOFY_PORT", "70000")));
    }

    @Test
    void aBootstrapKeyIdWithoutItsSecretIsRefused() {
        var error = assertThrows(IllegalArgumentException.class,
                () -> Config.from(Map.of("SOFY_BOOTSTRAP_KEY_ID", "ci")));
        assertTrue(error.getMessage().contains("SOFY_BOOTSTRAP_KEY_SECRET"), error.getMessage());
    }

    @Test
    void aBootstrapSecretOf31CharactersIsRefusedByNameWithoutShowingIt() {
        String secret = "s".repeat(30) + "!";
        var error = assertThrows(IllegalArgumentException.class, () -> Config.from(Map.of(
                "SOFY_BOOTSTRAP_KEY_ID", "ci",
                "SOFY_BOOTSTRAP_KEY_SECRET", secret)));
        assertTrue(error.getMessage().contains("SOFY_BOOTSTRAP_KEY_SECRET"), error.getMessage());
        assertFalse(error.getMessage().contains(secret), error.getMessage());
    }

    @Test
    void aBootstrapSecretOf32CharactersIsTaken() {
        Config config = Config.from(Map.of(
                "SOFY_BOOTSTRAP_KEY_ID", "ci",
                "SOFY_BOOTSTRAP_KEY_SECRET", "s".repeat(32)));
        assertEquals(Optional.of(new Config.BootstrapKey("ci", "s".repeat(32))), config.bootstrapKey());
    }

    @Test
    void aWebhookAttemptMayTakeTenSecondsByDefault() {
        assertEquals(Duration.ofSeconds(10), Config.from(Map.of()).webhooks().timeout());
    }

    @Test
    void theWebhookTimeoutIsSetWithOneDuration() {
        assertEquals(Duration.ofMillis(1500),
                Config.from(Map.of("SOFY_WEBHOOK_TIMEOUT", "1500ms")).webhooks().timeout());
    }

    @Test
    void aWebhookTimeoutOfOverAMinuteIsRefusedByName() {
        var error = assertThrows(IllegalArgumentException.class,
                () -> Config.from(Map.of("SOFY_WEBHOOK_TIMEOUT", "2m")));
        assertTrue(error.getMessage().contains("SOFY_WEBHOOK_TIMEOUT"), error.getMessage());
    }

    @Test
    void aListOfWebhookTimeoutsIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Config.from(Map.of("SOFY_WEBHOOK_TIMEOUT", "5s,10s")));
    }

    @Test
    void claimsAreLeasedForFiveMinutesByDefault() {
        assertEquals(Duration.ofMinutes(5), Config.from(Map.of()).delivery().claimLease());
    }

    @Test
    void theClaimLeaseIsSetWithOneDuration() {
        assertEquals(Duration.ofSeconds(30), Config.from(Map.of("SOFY_CLAIM_LEASE", "30s")).delivery().claimLease());
    }

    @Test
    void aClaimLeaseUnderFiveSecondsIsRefusedByName() {
        var error = assertThrows(IllegalArgumentException.class, () -> Config.from(Map.of("SOFY_CLAIM_LEASE", "1s")));
        assertTrue(error.getMessage().contains("SOFY_CLAIM_LEASE"), error.getMessage());
    }

    @Test
    void theManagementListenerIsOnLoopbackPort8081ByDefault() {
        assertEquals(new Config.Management("127.0.0.1", 8081), Config.from(Map.of()).management());
    }

    @Test
    void managementVariablesMoveTheManagementListener() {
        assertEquals(new Config.Management("0.0.0.0", 0), Config.from(Map.of(
                "SOFY_MANAGEMENT_HOST", "0.0.0.0", "SOFY_MANAGEMENT_PORT", "0")).management());
    }

    @Test
    void aManagementPortThatIsNotANumberIsRefusedByName() {
        var error = assertThrows(IllegalArgumentException.class,
                () -> Config.from(Map.of("SOFY_MANAGEMENT_PORT", "metrics")));
        assertTrue(error.getMessage().contains("SOFY_MANAGEMENT_PORT"), error.getMessage());
    }

    @Test
    void aManagementPortOutOfRangeIsRefusedByName() {
        var error = assertThrows(IllegalArgumentException.class,
                () -> Config.from(Map.of("SOFY_MANAGEMENT_PORT", "65536")));
        assertTrue(error.getMessage().contains("SOFY_MANAGEMENT_PORT"), error.getMessage());
    }
}
