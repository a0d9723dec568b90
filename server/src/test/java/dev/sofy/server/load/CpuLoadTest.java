package dev.sofy.server.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CpuLoadTest {
    private final AtomicInteger samples = new AtomicInteger();

    private CpuLoad reading(double load, Duration interval) {
        return new CpuLoad(() -> {
            samples.incrementAndGet();
            return load;
        }, 0.9, interval);
    }

    @Test
    void aLoadAtTheThresholdIsSaturation() {
        assertTrue(reading(0.9, Duration.ZERO).saturated());
    }

    @Test
    void aLoadBelowTheThresholdIsNotSaturation() {
        assertFalse(reading(0.89, Duration.ZERO).saturated());
    }

    @Test
    void anUnknownLoadIsNotSaturation() {
        assertFalse(reading(-1, Duration.ZERO).saturated());
    }

    @Test
    void theLoadIsSampledAtMostOncePerInterval() {
        CpuLoad cpu = reading(1, Duration.ofHours(1));
        for (int i = 0; i < 10; i++) {
            cpu.saturated();
        }

        assertEquals(1, samples.get());
    }
}
