package dev.sofy.server.ratelimit;

/** The kinds of request that have separate limits. */
public enum Kind {
    /** Sending an SMS. */
    SEND("sending SMS"),
    /** Every other operation. */
    READ("other requests");

    private final String description;

    Kind(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
