package dev.sofy.server.links;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ShortCodesTest {
    private final ShortCodes codes = new ShortCodes();

    @Test
    void codesHaveEightCharactersByDefault() {
        assertEquals(8, codes.get().length());
    }

    @Test
    void codesAreBase62() {
        IntStream.range(0, 1_000).forEach(i -> {
            String code = codes.get();
            assertTrue(code.matches("[0-9A-Za-z]+"), code);
        });
    }

    @Test
    void codesDoNotRepeat() {
        Set<String> seen = new HashSet<>();
        IntStream.range(0, 10_000).forEach(i -> assertTrue(seen.add(codes.get())));
    }

    @Test
    void everyBase62CharacterTurnsUp() {
        Set<Character> seen = new HashSet<>();
        IntStream.range(0, 2_000).forEach(i -> codes.get().chars().forEach(c -> seen.add((char) c)));
        assertEquals(62, seen.size());
    }

    @Test
    void theLengthIsConfigurable() {
        assertEquals(12, new ShortCodes(12, new SecureRandom()).get().length());
    }

    @ParameterizedTest(name = "a length of {0} is refused")
    @ValueSource(ints = {-1, 0, 6, 23})
    void lengthsOutsideSevenToTwentyTwoAreRefused(int length) {
        assertThrows(IllegalArgumentException.class, () -> new ShortCodes(length, new SecureRandom()));
    }
}
