package dev.sofy.server.health;

/** What readiness asks the database; both are cheap and may block when the database is unreachable. */
public interface DatabaseProbes {

    /** Runs a trivial query; throws when the database does not answer. */
    void ping();

    /** Webhook events still to deliver, counted up to {@code cap} at most (a backlog can be huge). */
    long outboxBacklog(long cap);
}
