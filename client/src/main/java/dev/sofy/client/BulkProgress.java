package dev.sofy.client;

/**
 * Where a bulk run stands, as its progress listener sees it after each change.
 *
 * @param total       how many SMS the run sends
 * @param sent        how many are created (or were found already created by an earlier attempt)
 * @param failed      how many the run has given up on: refused by the server, or out of attempts
 * @param inFlight    how many requests are waiting for their answer right now
 * @param retried     how many requests were retries of an SMS already tried, whatever the reason
 * @param rateLimited how many answers were {@code 429 Too Many Requests}; each was retried
 */
public record BulkProgress(int total, int sent, int failed, int inFlight, long retried, long rateLimited) {

    /** How many SMS have their final outcome, sent or failed. */
    public int done() {
        return sent + failed;
    }

    /** True when every SMS has its final outcome. */
    public boolean isComplete() {
        return done() == total;
    }
}
