package dev.sofy.server.links;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class LinkShortenerTest {
    private static final String BASE = "https://s.io";
    /** 38 characters: longer than any link of {@link #BASE}, which has 22. */
    private static final String LONG_URL = "https://www.example.com/soldes/ete-2026";

    private final LinkShortener shortener = new LinkShortener(BASE, numberedCodes());

    @Test
    void aUrlInTheMiddleOfASentenceIsReplacedByItsLink() {
        assertEquals("Voir https://s.io/r/code001 pour les offres",
                shortener.shorten("Voir " + LONG_URL + " pour les offres").text());
    }

    @Test
    void theReplacedUrlIsReturnedWithItsCode() {
        assertEquals(List.of(new ShortLink("code001", LONG_URL)),
                shortener.shorten("Voir " + LONG_URL + " pour les offres").links());
    }

    @Test
    void aUrlEndingTheTextIsReplaced() {
        assertEquals("Soldes : https://s.io/r/code001", shortener.shorten("Soldes : " + LONG_URL).text());
    }

    @Test
    void aTextThatIsOnlyAUrlIsReplaced() {
        assertEquals("https://s.io/r/code001", shortener.shorten(LONG_URL).text());
    }

    @Test
    void aPeriodAfterAUrlEndsTheSentenceNotTheUrl() {
        assertEquals(List.of(new ShortLink("code001", LONG_URL)),
                shortener.shorten("Nos soldes sont sur " + LONG_URL + ".").links());
    }

    @Test
    void aPeriodAfterAUrlStaysAfterTheLink() {
        assertEquals("Nos soldes sont sur https://s.io/r/code001.",
                shortener.shorten("Nos soldes sont sur " + LONG_URL + ".").text());
    }

    @ParameterizedTest(name = "\"{0}\" after a URL is kept out of it")
    @ValueSource(strings = {".", ",", "!", "?", ";", ":", "'", "...", "?!", "),"})
    void punctuationEndingASentenceIsNotPartOfTheUrl(String punctuation) {
        String text = "(Voir " + LONG_URL + punctuation + " Merci";
        assertEquals("(Voir https://s.io/r/code001" + punctuation + " Merci", shortener.shorten(text).text());
    }

    @Test
    void aUrlInParenthesesLeavesTheClosingParenthesisOut() {
        assertEquals("Soldes (https://s.io/r/code001)", shortener.shorten("Soldes (" + LONG_URL + ")").text());
    }

    @Test
    void parenthesesOpenedInsideTheUrlArePartOfIt() {
        String url = "https://fr.wikipedia.org/wiki/P%C3%A2ques_(f%C3%AAte)";
        assertEquals(List.of(new ShortLink("code001", url)), shortener.shorten("Lire " + url + ".").links());
    }

    @Test
    void twoUrlsAreReplacedEachByItsOwnLink() {
        assertEquals("Femmes https://s.io/r/code001 et hommes https://s.io/r/code002",
                shortener.shorten("Femmes " + LONG_URL + "/femmes et hommes " + LONG_URL + "/hommes").text());
    }

    @Test
    void twoUrlsAreReturnedInTheOrderTheyAppear() {
        assertEquals(List.of(new ShortLink("code001", LONG_URL + "/femmes"), new ShortLink("code002", LONG_URL + "/hommes")),
                shortener.shorten("Femmes " + LONG_URL + "/femmes et hommes " + LONG_URL + "/hommes").links());
    }

    @Test
    void aUrlAppearingTwiceGetsOneCode() {
        assertEquals("https://s.io/r/code001 ou https://s.io/r/code001",
                shortener.shorten(LONG_URL + " ou " + LONG_URL).text());
    }

    @Test
    void aUrlAppearingTwiceIsReturnedOnce() {
        assertEquals(1, shortener.shorten(LONG_URL + " ou " + LONG_URL).links().size());
    }

    @Test
    void aUrlShorterThanItsLinkIsKept() {
        assertEquals(new ShortenedText("Voir https://ex.fr/a !", List.of()), shortener.shorten("Voir https://ex.fr/a !"));
    }

    @Test
    void aUrlAsLongAsItsLinkIsKept() {
        String url = "https://example.fr/abc"; // 22 characters, like https://s.io/r/code001
        assertEquals(new ShortenedText(url, List.of()), shortener.shorten(url));
    }

    @Test
    void aUrlOneCharacterLongerThanItsLinkIsReplaced() {
        assertEquals("https://s.io/r/code001", shortener.shorten("https://example.fr/abcd").text());
    }

    @Test
    void aShortUrlIsKeptWhileALongOneBesideItIsReplaced() {
        assertEquals("https://ex.fr/a et https://s.io/r/code002",
                shortener.shorten("https://ex.fr/a et " + LONG_URL).text());
    }

    @Test
    void aTextWithoutAUrlIsLeftAsItIs() {
        var noCodes = new LinkShortener(BASE, () -> {
            throw new AssertionError("no code should be drawn");
        });
        assertEquals(new ShortenedText("Soldes -20% ce week-end", List.of()), noCodes.shorten("Soldes -20% ce week-end"));
    }

    @Test
    void anUppercaseSchemeIsAUrlToo() {
        assertEquals(List.of(new ShortLink("code001", "HTTPS://WWW.EXAMPLE.COM/SOLDES/ETE")),
                shortener.shorten("Voir HTTPS://WWW.EXAMPLE.COM/SOLDES/ETE").links());
    }

    @Test
    void aPlainHttpUrlIsReplaced() {
        assertEquals("https://s.io/r/code001", shortener.shorten("http://www.example.com/soldes/ete").text());
    }

    @Test
    void theQueryAndFragmentArePartOfTheUrl() {
        String url = "https://www.example.com/p?utm_source=sms&id=42#haut";
        assertEquals(List.of(new ShortLink("code001", url)), shortener.shorten("Voir " + url + " vite").links());
    }

    @Test
    void aUrlWithAPortAndAnIpAddressIsReplaced() {
        assertEquals("Admin https://s.io/r/code001", shortener.shorten("Admin http://192.168.100.200:8080/admin").text());
    }

    @Test
    void aLongHostAloneIsReplaced() {
        assertEquals("https://s.io/r/code001", shortener.shorten("https://www.a-very-long-shop-name.example").text());
    }

    @ParameterizedTest(name = "\"{0}\" is left alone")
    @ValueSource(strings = {
        "www.example.com/soldes/ete-2026",            // no scheme
        "ftp://files.example.com/soldes/ete-2026",    // not http(s)
        "xhttps://www.example.com/soldes/ete-2026",   // the scheme is part of a word
        "https://localhost/soldes/ete-2026/aaaa",     // no dotted host
        "https://user@www.example.com/soldes/ete",    // user info
        "https://www.example.com_soldes/ete-2026"     // host glued to more characters
    })
    void whatIsNotAConservativeHttpUrlIsLeftAlone(String text) {
        assertEquals(new ShortenedText(text, List.of()), shortener.shorten(text));
    }

    @Test
    void shorteningNeverMakesATextLonger() {
        String text = "A https://a.fr B https://example.fr/abc C " + LONG_URL + ". D https://ex.fr/aaaaaaaaaaaaaaaa";
        assertTrue(shortener.shorten(text).text().length() <= text.length());
    }

    @Test
    void aTrailingSlashOfTheBaseUrlIsDropped() {
        assertEquals("https://s.io/r/code001", new LinkShortener("https://s.io/", numberedCodes()).shorten(LONG_URL).text());
    }

    @Test
    void theBaseUrlMayHaveAPath() {
        assertEquals("https://s.io/l/r/code001", new LinkShortener("https://s.io/l", numberedCodes()).linkFor("code001"));
    }

    @ParameterizedTest(name = "\"{0}\" is no base URL")
    @ValueSource(strings = {"", "s.io", "ftp://s.io", "https://", "https://s.io?x=1", "https://s.io/~x", "https://s.io/é"})
    void baseUrlsOtherThanPlainHttpUrlsAreRefused(String base) {
        assertThrows(IllegalArgumentException.class, () -> new LinkShortener(base, numberedCodes()));
    }

    @ParameterizedTest(name = "code \"{0}\" is refused")
    @ValueSource(strings = {"", "a/b", "a b", "é1234567"})
    void codesThatAreNotUrlSafeAreRefused(String code) {
        var badCodes = new LinkShortener(BASE, () -> code);
        assertThrows(IllegalStateException.class, () -> badCodes.shorten(LONG_URL));
    }

    @ParameterizedTest(name = "{0} becomes {1}")
    @CsvSource(delimiter = '|', value = {
        "Voir https://www.example.com/soldes/ete-2026 !|Voir https://s.io/r/code001 !",
        "<https://www.example.com/soldes/ete-2026>|<https://s.io/r/code001>",
        "\"https://www.example.com/soldes/ete-2026\"|\"https://s.io/r/code001\"",
        "https://www.example.com/soldes/ete-2026\\nSTOP au 36789|https://s.io/r/code001\\nSTOP au 36789"
    })
    void delimitersAroundAUrlStayAroundTheLink(String text, String expected) {
        assertEquals(expected.replace("\\n", "\n"), shortener.shorten(text.replace("\\n", "\n")).text());
    }

    @Test
    void anAccentedLetterOfAUrlIsStoredAsItsPercentEncodedUtf8Bytes() {
        assertEquals(List.of(new ShortLink("code001", "https://www.example.com/soldes/%C3%A9t%C3%A9-2026")),
                shortener.shorten("Voir https://www.example.com/soldes/été-2026").links());
    }

    @Test
    void anEmojiOfAUrlIsStoredAsItsFourPercentEncodedUtf8Bytes() {
        assertEquals(List.of(new ShortLink("code001", "https://www.example.com/soldes/%F0%9F%8E%89")),
                shortener.shorten("Voir https://www.example.com/soldes/\uD83C\uDF89").links());
    }

    @Test
    void percentEscapesAlreadyInAUrlAreKeptAsTheyAre() {
        assertEquals(List.of(new ShortLink("code001", "https://fr.wikipedia.org/wiki/P%C3%A2ques_%C3%A9t%C3%A9")),
                shortener.shorten("Lire https://fr.wikipedia.org/wiki/P%C3%A2ques_été").links());
    }

    @Test
    void aUrlWhoseAsciiFormIsLongerThanItsLimitIsKeptInTheText() {
        String url = "https://www.example.com/" + "é".repeat(LinkShortener.MAX_URL_LENGTH / 6);
        assertEquals(new ShortenedText("Voir " + url, List.of()), shortener.shorten("Voir " + url));
    }

    @ParameterizedTest(name = "U+{0} ends the URL")
    @ValueSource(strings = {"0000", "0007", "001B", "007F", "0080", "0085", "009F", "00A0", "1680", "2007", "2028",
        "2029", "202F", "3000"})
    void aControlCharacterOrUnicodeSpaceEndsTheUrl(String hex) {
        String separator = Character.toString(Integer.parseInt(hex, 16));

        ShortenedText shortened = shortener.shorten("Voir " + LONG_URL + separator + "suite");

        assertEquals(List.of(new ShortLink("code001", LONG_URL)), shortened.links());
        assertEquals("Voir https://s.io/r/code001" + separator + "suite", shortened.text());
    }

    @Test
    void aLoneSurrogateEndsTheUrl() {
        assertEquals(List.of(new ShortLink("code001", LONG_URL)), shortener.shorten(LONG_URL + "\uD83Cx").links());
    }

    @Test
    void theAsciiFormOfAUrlHasOnlyPrintableAsciiCharacters() {
        String ascii = LinkShortener.asciiForm("https://example.com/a b\u0085é\uD83C\uDF89%41\u007F");

        assertEquals("https://example.com/a%20b%C2%85%C3%A9%F0%9F%8E%89%41%7F", ascii);
    }

    /** code001, code002, ...: seven characters, so links of {@link #BASE} have 22. */
    private static Supplier<String> numberedCodes() {
        int[] next = {0};
        return () -> String.format("code%03d", ++next[0]);
    }
}
