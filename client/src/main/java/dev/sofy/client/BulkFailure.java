package dev.sofy.client;

import dev.sofy.client.model.Problem;
import java.util.Optional;

/** Why one SMS of a bulk run was not sent, with the server's last answer when there was one. */
public final class BulkFailure {

    /** The two ways a bulk run gives up on an SMS. */
    public enum Kind {
        /**
         * The server refused the SMS for good: a {@code 4xx} other than {@code 409} and {@code 429}
         * (or another answer that is not worth retrying). Nothing was created; the problem says what
         * to fix.
         */
        REFUSED,
        /**
         * Every attempt failed in a way worth retrying (timeout, connection failure, {@code 409},
         * {@code 429}, {@code 5xx}) until the attempts or the time allowed ran out. An attempt whose
         * answer was lost may have created the SMS: sending the same request with the same
         * {@link BulkOutcome#idempotencyKey()} within 24 hours is safe, and tells.
         */
        GAVE_UP
    }

    private final Kind kind;
    private final int status;
    private final String message;
    private final String problemBody;
    private final Problem problem;
    private final Throwable cause;

    BulkFailure(Kind kind, int status, String message, String problemBody, Problem problem, Throwable cause) {
        this.kind = kind;
        this.status = status;
        this.message = message;
        this.problemBody = problemBody;
        this.problem = problem;
        this.cause = cause;
    }

    public Kind kind() {
        return kind;
    }

    /** The HTTP status of the last answer, or {@code 0} when the last attempt got none (timeout, connection failure). */
    public int status() {
        return status;
    }

    /** What happened, in words. */
    public String message() {
        return message;
    }

    /** The body of the last answer as received: an RFC 9457 problem from a Sofy server. */
    public Optional<String> problemBody() {
        return Optional.ofNullable(problemBody);
    }

    /** The last answer's body read as a problem, when it is one. */
    public Optional<Problem> problem() {
        return Optional.ofNullable(problem);
    }

    /** What the last attempt failed with, when it got no answer: a timeout or an I/O error. */
    public Optional<Throwable> cause() {
        return Optional.ofNullable(cause);
    }

    @Override
    public String toString() {
        return kind + " (" + (status == 0 ? "no answer" : status) + "): " + message
                + (problemBody == null ? "" : " " + problemBody);
    }
}
