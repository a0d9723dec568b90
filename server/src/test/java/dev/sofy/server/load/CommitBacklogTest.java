package dev.sofy.server.load;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CommitBacklogTest {
    private static final Duration INTERVAL = Duration.ofMillis(100);

    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicLong nanoTime = new AtomicLong(1_000_000_000_000L);
    private final CommitBacklog backlog = new CommitBacklog(waiting::get, 16, INTERVAL, nanoTime::get);

    /** Looks again once the interval has passed. */
    private boolean lookAgain() {
        nanoTime.addAndGet(INTERVAL.toNanos());
        return backlog.backlogged();
    }

    @Test
    void noSmsWaitingIsNoBacklog() {
        assertFalse(backlog.backlogged());
        assertFalse(lookAgain());
    }

    @Test
    void aQueueFoundByTwoLooksInARowIsABacklog() {
        waiting.set(16);
        backlog.backlogged();

        assertTrue(lookAgain());
    }

    @Test
    void aQueueFoundByOneLookOnlyIsNoBacklog() {
        waiting.set(40);

        assertFalse(backlog.backlogged());
    }

    @Test
    void aQueueThatWasGoneAtTheNextLookIsNoBacklog() {
        waiting.set(40);
        backlog.backlogged();
        waiting.set(15);

        assertFalse(lookAgain());
    }

    @Test
    void theAnswerHoldsUntilTheIntervalHasPassed() {
        waiting.set(16);
        backlog.backlogged();
        lookAgain();
        waiting.set(0);
        nanoTime.addAndGet(INTERVAL.toNanos() - 1);

        assertTrue(backlog.backlogged());
    }

    @Test
    void theBacklogEndsAtTheFirstLookThatFindsNoQueue() {
        waiting.set(16);
        backlog.backlogged();
        lookAgain();
        waiting.set(0);

        assertFalse(lookAgain());
    }
}
