package dev.sofy.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
                "SOFY_BOOTSTRAP_KEY_SECRET", "a-long-enough-secret"));
        assertEquals("0.0.0.0", config.host());
        assertEquals(9090, config.port());
        assertEquals("jdbc:postgresql://localhost/sofy", config.dbUrl());
        assertEquals("sofy", config.dbUser());
        assertEquals(Optional.of(new Config.BootstrapKey("ci", "a-long-enough-secret")), config.bootstrapKey());
    }

    @Test
    void aPortThatIsNotANumberIsRefusedByName() {
        var error = assertThrows(IllegalArgumentException.class, () -> Config.from(Map.of("SOFY_PORT", "http")));
        assertTrue(error.getMessage().contains("SOFY_PORT"), error.getMessage());
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
}
