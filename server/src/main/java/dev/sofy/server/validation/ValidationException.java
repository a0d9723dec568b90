package dev.sofy.server.validation;

import java.util.List;

/** A request that is definitively invalid, with every invalid field. */
public final class ValidationException extends RuntimeException {
    private final transient List<Violation> violations;

    public ValidationException(List<Violation> violations) {
        super(violations.size() == 1
                ? "The request has 1 invalid field."
                : "The request has " + violations.size() + " invalid fields.",
                null, false, false);
        this.violations = List.copyOf(violations);
    }

    public ValidationException(Violation violation) {
        this(List.of(violation));
    }

    public List<Violation> violations() {
        return violations;
    }
}
