package dev.sofy.server.delivery;

import java.time.Instant;
import java.util.List;

/**
 * New SMS given to this node's dispatcher as they commit, so that it need not claim them from
 * storage. The store leases each one to the node in its insert, as a claim would, so a node that
 * stops before submitting it leaves a claim like any other: its lease ends and it is claimed again.
 */
public interface Handoff {
    /** Takes no SMS: each waits for a claim. */
    Handoff NONE = new Handoff() {
        @Override
        public boolean reserve() {
            return false;
        }

        @Override
        public void giveBack(int reserved) {}

        @Override
        public String nodeId() {
            throw new IllegalStateException("no node takes SMS");
        }

        @Override
        public Instant leaseUntil(Instant now) {
            throw new IllegalStateException("no node takes SMS");
        }

        @Override
        public void handOver(List<Claimed> sms, int leftUnclaimed) {}
    };

    /** Room for one SMS, kept until it is handed over or given back; false when the dispatcher is full or stopped. */
    boolean reserve();

    /** Gives back room reserved for SMS that were not committed. */
    void giveBack(int reserved);

    /** The node an SMS handed over is leased to. */
    String nodeId();

    /** The end of the lease of an SMS handed over at {@code now}. */
    Instant leaseUntil(Instant now);

    /**
     * SMS committed leased to {@link #nodeId()}, with a reservation each; {@code leftUnclaimed}
     * other SMS due now were committed without a lease, for want of room, and wait for a claim.
     */
    void handOver(List<Claimed> sms, int leftUnclaimed);
}
