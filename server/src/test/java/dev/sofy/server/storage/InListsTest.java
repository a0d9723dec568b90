package dev.sofy.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class InListsTest {
    @Test
    void aListWhoseLengthIsAPowerOfTwoStaysAsItIs() {
        assertEquals(List.of(), InLists.padded(List.of()));
        assertEquals(List.of("a"), InLists.padded(List.of("a")));
        assertEquals(List.of("a", "b", "c", "d"), InLists.padded(List.of("a", "b", "c", "d")));
    }

    @Test
    void anotherIsPaddedToTheNextPowerOfTwoWithItsLastValue() {
        assertEquals(List.of("a", "b", "c", "c"), InLists.padded(List.of("a", "b", "c")));
        List<Integer> thousand = IntStream.range(0, 1_000).boxed().toList();
        List<Integer> expected = new ArrayList<>(thousand);
        expected.addAll(Collections.nCopies(24, 999));
        assertEquals(expected, InLists.padded(thousand));
    }
}
