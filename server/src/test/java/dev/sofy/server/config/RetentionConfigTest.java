package dev.sofy.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SOFY_RETENTION_DAYS: how long an SMS is kept after its final status. */
class RetentionConfigTest {
    @Test
    void withNoVariableSmsAreKept90Days() {
        assertEquals(Duration.ofDays(90), Config.from(Map.of()).retention());
    }

    @Test
    void aRetentionOfOneDayIsAllowed() {
        assertEquals(Duration.ofDays(1), Config.from(Map.of("SOFY_RETENTION_DAYS", "1")).retention());
    }

    @Test
    void aRetentionOfZeroDaysIsRefusedByName() {
        var error = assertThrows(IllegalArgumentException.class,
                () -> Config.from(Map.of("SOFY_RETENTION_DAYS", "0")));
        assertTrue(error.getMessage().contains("SOFY_RETENTION_DAYS"), error.getMessage());
    }

    @Test
    void aRetentionOfMoreThanTenYearsIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Config.from(Map.of("SOFY_RETENTION_DAYS", "3651")));
    }
}
