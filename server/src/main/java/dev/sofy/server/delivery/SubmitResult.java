package dev.sofy.server.delivery;

import java.util.List;

/** The carrier took the SMS: the message id it gave each part, in order (one for a short SMS). */
public record SubmitResult(List<String> carrierMessageIds) {
    public SubmitResult {
        carrierMessageIds = List.copyOf(carrierMessageIds);
        if (carrierMessageIds.isEmpty()) {
            throw new IllegalArgumentException("a submitted SMS has at least one part");
        }
    }
}
