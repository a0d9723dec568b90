package dev.sofy.server.health;

import java.util.List;

/** The checks, in a fixed order, and whether every required one is up. */
public record Readiness(List<Check> checks) {

    public Readiness {
        checks = List.copyOf(checks);
    }

    public boolean ready() {
        return checks.stream().allMatch(check -> check.up() || !check.required());
    }
}
