package dev.sofy.server.marketing;

import dev.sofy.server.numbers.Recipient;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The French rules for an SMS about to be accepted: a marketing SMS ({@code isTransactional}
 * false) to a French number gets the opt-out mention when its body has none, and is held until the
 * sending window opens. Transactional SMS, and SMS to numbers that are not French, go as they came.
 */
public final class MarketingRules {
    private final OptOutMention optOut;
    private final SendingWindow window;

    public MarketingRules(OptOutMention optOut, SendingWindow window) {
        this.optOut = Objects.requireNonNull(optOut, "optOut");
        this.window = Objects.requireNonNull(window, "window");
    }

    public static MarketingRules defaults() {
        return new MarketingRules(OptOutMention.defaults(), SendingWindow.defaults());
    }

    public OptOutMention optOut() {
        return optOut;
    }

    public SendingWindow window() {
        return window;
    }

    /**
     * What to send to {@code recipientDigits} (international digits, no {@code +}), and until when
     * to hold it. The hold is worked out at {@code now}; whoever releases held messages should ask
     * {@link SendingWindow#isOpen} again, in case the settings changed meanwhile.
     */
    public Outcome apply(String recipientDigits, boolean isTransactional, String body, Instant now) {
        return apply(() -> FrenchNumbers.territoriesOf(recipientDigits), isTransactional, body, now);
    }

    /** As {@link #apply(String, boolean, String, Instant)}, for a recipient already read. */
    public Outcome apply(Recipient recipient, boolean isTransactional, String body, Instant now) {
        return apply(() -> FrenchNumbers.territoriesOf(recipient), isTransactional, body, now);
    }

    private Outcome apply(Supplier<Set<FrenchTerritory>> territoriesOfRecipient, boolean isTransactional, String body,
                          Instant now) {
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(now, "now");
        if (isTransactional) {
            return Outcome.unchanged(body);
        }
        Set<FrenchTerritory> territories = territoriesOfRecipient.get();
        if (territories.isEmpty()) {
            return Outcome.unchanged(body);
        }
        boolean overseas = territories.stream().anyMatch(FrenchTerritory::isOverseas);
        String withMention = optOut.appendIfMissing(body, overseas);
        Instant opening = window.nextOpening(now, territories);
        return new Outcome(withMention, opening.isAfter(now) ? Optional.of(opening) : Optional.empty());
    }

    /** The body to send, and the instant before which it must not be sent, if it is held. */
    public record Outcome(String body, Optional<Instant> heldUntil) {
        public Outcome {
            Objects.requireNonNull(body, "body");
            Objects.requireNonNull(heldUntil, "heldUntil");
        }

        static Outcome unchanged(String body) {
            return new Outcome(body, Optional.empty());
        }

        public boolean isHeld() {
            return heldUntil.isPresent();
        }
    }
}
