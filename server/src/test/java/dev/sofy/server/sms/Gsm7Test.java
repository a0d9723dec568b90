package dev.sofy.server.sms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Gsm7Test {
    private static final String EVERY_BASIC_CHARACTER =
            "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
            + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    private static final String EVERY_EXTENSION_CHARACTER = "\f^{}\\[~]|€";

    @Test
    void everyCharacterOfTheBasicTableIsOneSeptet() {
        assertEquals(127, EVERY_BASIC_CHARACTER.length());
        assertTrue(Gsm7.canEncode(EVERY_BASIC_CHARACTER));
        assertEquals(127, Gsm7.septets(EVERY_BASIC_CHARACTER));
    }

    @Test
    void everyCharacterOfTheExtensionTableIsTwoSeptets() {
        assertTrue(Gsm7.canEncode(EVERY_EXTENSION_CHARACTER));
        assertEquals(20, Gsm7.septets(EVERY_EXTENSION_CHARACTER));
        assertEquals(2, Gsm7.septets('€'));
    }

    @Test
    void basicCharactersEncodeToTheirSeptetAndExtensionCharactersToAnEscapePair() {
        assertArrayEquals(new byte[] {0x00, 0x41, 0x1B, 0x65, 0x11, 0x7F}, Gsm7.encode("@A€_à"));
    }

    @Test
    void theWholeAlphabetRoundTrips() {
        String text = EVERY_BASIC_CHARACTER + EVERY_EXTENSION_CHARACTER;
        assertEquals(text, Gsm7.decode(Gsm7.encode(text)));
    }

    @ParameterizedTest(name = "\"{0}\" is outside the alphabet")
    @ValueSource(strings = {"ç", "ê", "á", "ж", "😀", "\u001B", "\t", "`"})
    void charactersOutsideTheAlphabetCannotBeEncoded(String text) {
        assertFalse(Gsm7.canEncode("Hello " + text));
        assertEquals(0, Gsm7.septets(text.charAt(0)));
        assertThrows(IllegalArgumentException.class, () -> Gsm7.encode(text));
        assertThrows(IllegalArgumentException.class, () -> Gsm7.septets(text));
    }

    @Test
    void theDollarSignIsInTheBasicTableAndTheCurrencySignIsNotTheDollar() {
        assertArrayEquals(new byte[] {0x02, 0x24}, Gsm7.encode("$¤"));
    }

    @Test
    void decodingIgnoresTheEighthBit() {
        assertEquals("A", Gsm7.decode(new byte[] {(byte) 0xC1}));
    }

    @Test
    void anEscapeBeforeAnUnassignedCodeReadsAsTheBasicCharacter() {
        assertEquals("A", Gsm7.decode(new byte[] {0x1B, 0x41}));
    }

    @Test
    void aTrailingEscapeIsDropped() {
        assertEquals("Hi", Gsm7.decode(new byte[] {0x48, 0x69, 0x1B}));
    }
}
