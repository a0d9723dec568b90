package dev.sofy.server.delivery;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What a carrier answered about one part: still on its way, or its final fate.
 *
 * @param outcome empty while the part is still en route (or the carrier does not know yet)
 * @param errorCode the carrier's error code, when it gave one
 * @param doneAt when the carrier says the part reached its final state, else when it answered
 */
public record QueryAnswer(String carrierMessageId, Optional<CarrierEvent.Outcome> outcome, String errorCode,
                          Instant doneAt) {
    public QueryAnswer {
        Objects.requireNonNull(carrierMessageId, "carrierMessageId");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(doneAt, "doneAt");
    }

    public boolean isFinal() {
        return outcome.isPresent();
    }
}
