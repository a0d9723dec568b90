package dev.sofy.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

final class QueryStringTest {

    @Test
    void escapesOfUtf8AndPlusSignsAreDecoded() {
        assertEquals("+33 6 12", QueryString.decoded("%2B33+6%2012"));
    }

    @Test
    void aMultiByteCharacterIsDecodedFromItsEscapes() {
        assertEquals("é€😀", QueryString.decoded("%C3%A9%E2%82%AC%F0%9F%98%80"));
    }

    @Test
    void textJettyHasAlreadyDecodedIsKeptAsItIs() {
        assertEquals("é😀 x", QueryString.decoded("é😀+x"));
    }

    @ParameterizedTest(name = "{0} cannot be decoded")
    @ValueSource(strings = {"errored%ZZ", "1%", "1%2", "%FF", "%C3%28", "%ED%A0%80", "%C0%AF", "%٣٣"})
    void aBadEscapeOrBytesThatAreNotUtf8CannotBeDecoded(String text) {
        assertNull(QueryString.decoded(text));
    }

    @Test
    void aValueThatCannotBeDecodedIsRememberedForItsName() {
        QueryString query = QueryString.parse("status=errored%ZZ&limit=5");

        assertTrue(query.isUndecodable("status"));
        assertEquals(List.of(), query.values("status"));
        assertEquals(List.of("5"), query.values("limit"));
    }

    @Test
    void aNameThatCannotBeDecodedNamesNothing() {
        QueryString query = QueryString.parse("lim%ZZit=5&limit=6");

        assertEquals(List.of("6"), query.values("limit"));
        assertFalse(query.isUndecodable("limit"));
    }

    @Test
    void everyValueOfANameIsKeptInOrderAndANameAloneHasAnEmptyValue() {
        QueryString query = QueryString.parse("to=1&&to=2&status");

        assertEquals(List.of("1", "2"), query.values("to"));
        assertEquals(List.of(""), query.values("status"));
    }
}
