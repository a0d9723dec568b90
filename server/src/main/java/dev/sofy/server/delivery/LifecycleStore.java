package dev.sofy.server.delivery;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** What the dispatcher needs of storage. */
public interface LifecycleStore {

    /**
     * Claims up to {@code max} pending SMS that are due at {@code now} (their next attempt has
     * come and their validity has not ended) and that no live lease holds, for {@code node} until
     * {@code leaseUntil}, the longest due first. Safe with several nodes on one database: each SMS
     * goes to one of them.
     */
    List<Claimed> claimDue(String node, int max, Instant now, Instant leaseUntil);

    /** Frees the claims a node held before it restarted, so that it dispatches them again at once. */
    int releaseClaims(String node, Instant now);

    /** Records a transition; the future completes once it is committed. */
    CompletableFuture<Void> record(Transition transition);

    /**
     * Up to {@code max} parts of {@code carriers} still without a receipt, of SMS {@code sent}
     * since {@code before} or earlier and not asked about since then, the longest waiting first.
     */
    List<AwaitedReceipt> awaitingReceipts(Collection<String> carriers, Instant before, int max);

    /** Remembers that the carrier was asked about these parts at {@code at}. */
    void markQueried(List<AwaitedReceipt> parts, Instant at);
}
