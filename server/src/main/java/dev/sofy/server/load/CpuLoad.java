package dev.sofy.server.load;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Whether the machine's CPUs (the container's, in a container) are saturated, from the JVM's own
 * measure of recent CPU use. Sampled at most once per {@code interval}, so that the answer covers
 * at least that long; in between, the last answer holds.
 */
public final class CpuLoad {
    private final DoubleSupplier load;
    private final double saturatedFrom;
    private final long intervalNanos;
    private long sampledAtNanos;
    private boolean saturated;

    /**
     * @param load the share of CPU used since it was last asked, from 0 to 1; negative when unknown
     * @param saturatedFrom the share from which the CPUs count as saturated
     */
    public CpuLoad(DoubleSupplier load, double saturatedFrom, Duration interval) {
        this.load = load;
        this.saturatedFrom = saturatedFrom;
        this.intervalNanos = interval.toNanos();
        this.sampledAtNanos = System.nanoTime() - intervalNanos;
    }

    /** The whole machine's CPU use, as the JVM sees it; unknown (never saturated) where it cannot. */
    public static CpuLoad ofMachine(double saturatedFrom, Duration interval) {
        var os = ManagementFactory.getOperatingSystemMXBean();
        DoubleSupplier load = os instanceof com.sun.management.OperatingSystemMXBean machine
                ? machine::getCpuLoad : () -> -1;
        return new CpuLoad(load, saturatedFrom, interval);
    }

    public synchronized boolean saturated() {
        long now = System.nanoTime();
        if (now - sampledAtNanos >= intervalNanos) {
            saturated = load.getAsDouble() >= saturatedFrom;
            sampledAtNanos = now;
        }
        return saturated;
    }
}
