package dev.sofy.server.webhooks;

import java.util.Arrays;
import java.util.Optional;

/** The events an endpoint can subscribe to. */
public enum EventType {
    SMS_STATUS("sms.status"),
    SMS_CLICK("sms.click"),
    SMS_RECEIVED("sms.received");

    private final String wireName;

    EventType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<EventType> fromWireName(String wireName) {
        return Arrays.stream(values()).filter(type -> type.wireName.equals(wireName)).findFirst();
    }
}
