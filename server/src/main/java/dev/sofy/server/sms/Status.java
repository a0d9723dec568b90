package dev.sofy.server.sms;

import java.util.Locale;

/** Where an SMS stands in its lifecycle. The names on the wire are the lower-case constant names. */
public enum Status {
    PENDING,
    SENT,
    DELIVERED,
    UNDELIVERED,
    ERRORED,
    /** Canceled by the sender before a carrier took it; never sent. */
    CANCELED;

    private final String wireName = name().toLowerCase(Locale.ROOT);

    public String wireName() {
        return wireName;
    }

    public static Status fromWireName(String wireName) {
        return valueOf(wireName.toUpperCase(Locale.ROOT));
    }

    public boolean isFinal() {
        return this == DELIVERED || this == UNDELIVERED || this == ERRORED || this == CANCELED;
    }
}
