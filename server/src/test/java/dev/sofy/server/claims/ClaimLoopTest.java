package dev.sofy.server.claims;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A loop over 100 due items, claiming 5 at a time with at most 8 in flight. Its hand-on records
 * when each item came, and releases it at once unless the test keeps what it gets.
 */
class ClaimLoopTest {
    private static final int BATCH = 5;
    private static final int MAX_IN_FLIGHT = 8;
    private static final Duration YIELD_PAUSE = Duration.ofMillis(400);
    /** Long enough for a loop that was going to claim more to have done so many times over. */
    private static final Duration SETTLE = Duration.ofMillis(300);

    private record HandedOn(int item, long atNanos) {}

    private final Queue<Integer> due = new ConcurrentLinkedQueue<>(IntStream.range(0, 100).boxed().toList());
    private final List<HandedOn> handedOn = new CopyOnWriteArrayList<>();
    private final AtomicBoolean yielding = new AtomicBoolean();
    private volatile boolean keep;
    private final ClaimLoop<Integer> loop = new ClaimLoop<>("claim-loop-test", BATCH, MAX_IN_FLIGHT,
            Duration.ofMillis(20), yielding::get, YIELD_PAUSE, this::claim, this::handOn,
            LoggerFactory.getLogger(ClaimLoopTest.class), "claim failed");

    private List<Integer> claim(int max) {
        List<Integer> claimed = new ArrayList<>();
        Integer item;
        while (claimed.size() < max && (item = due.poll()) != null) {
            claimed.add(item);
        }
        return claimed;
    }

    private void handOn(int item) {
        handedOn.add(new HandedOn(item, System.nanoTime()));
        if (!keep) {
            loop.release();
        }
    }

    @AfterEach
    void stop() {
        loop.close();
    }

    @Test
    void aLoopHandsOnNoMoreThanItsMaximumBeforeItemsAreReleased() throws InterruptedException {
        keep = true;
        loop.start();

        await(() -> handedOn.size() == MAX_IN_FLIGHT, "the maximum handed on");
        Thread.sleep(SETTLE.toMillis());
        assertEquals(MAX_IN_FLIGHT, handedOn.size());
    }

    @Test
    void aLoopThatIsNotYieldingClaimsEverythingDueWithoutPausing() {
        loop.start();

        await(() -> handedOn.size() == 100, "every item handed on");
        long took = handedOn.get(99).atNanos() - handedOn.get(0).atNanos();
        assertTrue(took < YIELD_PAUSE.toNanos(), "took " + took / 1_000_000 + " ms");
    }

    @Test
    void aYieldingLoopPausesBetweenClaims() {
        yielding.set(true);
        loop.start();

        await(() -> handedOn.size() > BATCH, "a second claim");
        long between = handedOn.get(BATCH).atNanos() - handedOn.get(BATCH - 1).atNanos();
        assertTrue(between >= YIELD_PAUSE.toNanos(), "claimed again after " + between / 1_000_000 + " ms");
    }

    @Test
    void aLoopThatStopsYieldingClaimsTheRestWithoutPausing() {
        yielding.set(true);
        loop.start();
        await(() -> handedOn.size() >= BATCH, "a first claim");

        yielding.set(false);

        await(() -> handedOn.size() == 100, "every item handed on");
        long lastTen = handedOn.get(99).atNanos() - handedOn.get(90).atNanos();
        assertTrue(lastTen < YIELD_PAUSE.toNanos(), "the last ten took " + lastTen / 1_000_000 + " ms");
    }

    @Test
    void anItemHandedOverIsHandedOnWithoutAClaim() {
        due.clear();
        loop.start();

        assertTrue(loop.reserve());
        loop.handOver(List.of(1_000));

        await(() -> handedOn.size() == 1, "the item handed over");
        assertEquals(1_000, handedOn.get(0).item());
    }

    @Test
    void noRoomIsReservedBeforeTheLoopStarts() {
        assertFalse(loop.reserve());
    }

    @Test
    void roomIsReservedUpToTheMostInFlight() {
        due.clear();
        loop.start();

        long reserved = IntStream.range(0, MAX_IN_FLIGHT + 3).filter(i -> loop.reserve()).count();

        assertEquals(MAX_IN_FLIGHT, reserved);
    }

    @Test
    void aLoopWhoseRoomIsAllReservedClaimsOnceSomeIsGivenBack() {
        keep = true;
        List<Integer> items = new ArrayList<>(due);
        due.clear();
        loop.start();
        IntStream.range(0, MAX_IN_FLIGHT).forEach(i -> loop.reserve());
        due.addAll(items);
        loop.nudge();

        loop.giveBack(2);

        await(() -> handedOn.size() == 2, "two items claimed with the room given back");
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("waited in vain for " + what);
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted while waiting for " + what);
            }
        }
    }
}
