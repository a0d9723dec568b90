package dev.sofy.client;

import dev.sofy.client.model.Sms;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The outcome of every SMS of a bulk run, in the order of the requests, and how the run went. */
public final class BulkResult {
    private final List<BulkOutcome> outcomes;
    private final BulkProgress progress;
    private final Duration elapsed;

    BulkResult(List<BulkOutcome> outcomes, BulkProgress progress, Duration elapsed) {
        this.outcomes = List.copyOf(outcomes);
        this.progress = progress;
        this.elapsed = elapsed;
    }

    /** One outcome per request, in the order of the requests. */
    public List<BulkOutcome> outcomes() {
        return outcomes;
    }

    /** The SMS created, in the order of their requests; failed ones are left out. */
    public List<Sms> sent() {
        return outcomes.stream().map(BulkOutcome::sms).flatMap(Optional::stream).toList();
    }

    /** The outcomes of the SMS that were not sent, in the order of their requests. */
    public List<BulkOutcome> failures() {
        return outcomes.stream().filter(outcome -> !outcome.isSent()).toList();
    }

    public boolean allSent() {
        return progress.failed() == 0;
    }

    /** How many requests were retries, whatever the reason. */
    public long retried() {
        return progress.retried();
    }

    /** How many answers were {@code 429 Too Many Requests}. */
    public long rateLimited() {
        return progress.rateLimited();
    }

    /** From the start of the run to its last outcome. */
    public Duration elapsed() {
        return elapsed;
    }

    @Override
    public String toString() {
        return progress.sent() + " sent, " + progress.failed() + " failed of " + progress.total() + " in "
                + elapsed.toMillis() + " ms, " + progress.retried() + " retries (" + progress.rateLimited()
                + " after 429)";
    }
}
