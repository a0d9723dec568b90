package dev.sofy.conformance;

import static dev.sofy.conformance.Answers.assertStatus;
import static dev.sofy.conformance.Answers.mediaType;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sofy.server.delivery.smpp.SmscSimulator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * With {@code shortenUrls} (the default), the URLs of a body are replaced in the text sent by
 * short links on the server, which redirect to the original URL and count their clicks. The SMS
 * keeps its body as given.
 */
@ExtendWith(ConformanceExtension.class)
final class LinksTest {
    /** Longer than any short link of the server: {@code <base URL>/r/<code>}. */
    static final String LONG_URL = "https://www.example.com/promotions/hiver-2026/soldes?utm_source=sms&utm_campaign=janvier";
    /** Shorter than any short link: shortening it would make the SMS longer. */
    private static final String SHORT_URL = "https://a.fr/x";
    /** 101 GSM characters: with a short link the text fits one SMS; with {@link #LONG_URL} it does not. */
    private static final String SOME_WORDS = "Les soldes d'hiver commencent demain dans tous nos magasins, "
            + "profitez de -50% sur une large selection";

    private final ServerUnderTest server;

    LinksTest(ServerUnderTest server) {
        this.server = server;
    }

    /** Sends an SMS with this body; {@code shortenUrls} is left out when null. */
    private JsonNode send(String body, Boolean shortenUrls) {
        String json = "{\"from\":\"APITEST\",\"to\":\"" + Lifecycle.ORDINARY_NUMBER + "\",\"body\":\"" + body + "\""
                + (shortenUrls == null ? "" : ",\"shortenUrls\":" + shortenUrls) + "}";
        Exchange created = server.send(RawRequest.post("/v1/sms").key(server.key()).json(json),
                SpecCheck.requestAndResponse());
        assertStatus(201, created);
        return created.responseJson();
    }

    private JsonNode read(String id) {
        return server.send(RawRequest.get("/v1/sms/" + id).key(server.key()), SpecCheck.requestAndResponse())
                .responseJson();
    }

    /** Follows a short link as a phone would: no key, no redirect followed. Checked as {@code followLink}. */
    static Exchange follow(ServerUnderTest server, String shortUrl) {
        return server.send(RawRequest.get(path(server, shortUrl)), SpecCheck.requestAndResponse());
    }

    /** The path of a short link on the server, {@code /r/<code>}. */
    private static String path(ServerUnderTest server, String shortUrl) {
        String prefix = server.baseUri() + "/r/";
        assertTrue(shortUrl.startsWith(prefix), () -> shortUrl + " is not on the server's URL " + server.baseUri());
        return shortUrl.substring(server.baseUri().toString().length());
    }

    private Exchange follow(String shortUrl) {
        return follow(server, shortUrl);
    }

    private static JsonNode onlyLink(JsonNode sms) {
        assertEquals(1, sms.path("links").size(), sms::toPrettyString);
        return sms.path("links").get(0);
    }

    @Test
    void aLongUrlComesBackAsAShortLinkOnTheServerWithNoClicks() {
        JsonNode sms = send("Nos soldes : " + LONG_URL, true);

        JsonNode link = onlyLink(sms);
        assertEquals(LONG_URL, link.path("url").asText());
        assertTrue(link.path("shortUrl").asText().startsWith(server.baseUri() + "/r/"), link::toPrettyString);
        assertEquals(0, link.path("clicks").asLong());
    }

    @Test
    void urlsAreShortenedWhenShortenUrlsIsLeftOut() {
        JsonNode sms = send("Nos soldes : " + LONG_URL, null);

        assertEquals(LONG_URL, onlyLink(sms).path("url").asText());
        assertTrue(sms.path("shortenUrls").asBoolean(), sms::toPrettyString);
    }

    @Test
    void followingAShortLinkRedirectsToTheOriginalUrl() {
        String shortUrl = onlyLink(send("Nos soldes : " + LONG_URL, true)).path("shortUrl").asText();

        Exchange followed = follow(shortUrl);

        assertStatus(302, followed);
        assertEquals(LONG_URL, followed.responseHeader("Location").orElseThrow());
    }

    @Test
    void aFollowedLinkCountsItsClickOnTheSms() throws Exception {
        JsonNode sms = send("Nos soldes : " + LONG_URL, true);
        assertStatus(302, follow(onlyLink(sms).path("shortUrl").asText()));

        // The click is counted just after the redirect is answered.
        JsonNode read = Eventually.await("the click counted", () -> read(sms.path("id").asText()),
                counted -> onlyLink(counted).path("clicks").asLong() > 0);

        assertEquals(1, onlyLink(read).path("clicks").asLong(), read::toPrettyString);
    }

    @Test
    void aHeadRequestOnAShortLinkIsNotCountedAsAClick() {
        // Link checkers and previews send HEAD; a phone opening the link sends GET.
        JsonNode sms = send("Nos soldes : " + LONG_URL, true);
        Exchange head = server.send(RawRequest.head(path(server, onlyLink(sms).path("shortUrl").asText())),
                SpecCheck.headAnsweredAsGet());
        assertStatus(302, head);

        JsonNode read = read(sms.path("id").asText());

        assertEquals(0, onlyLink(read).path("clicks").asLong(), read::toPrettyString);
    }

    @Test
    void theBodyStaysAsGivenAndItsSegmentsCountTheShortenedText() {
        String body = SOME_WORDS + " " + LONG_URL;
        assertTrue(body.length() > 160, "the body alone takes two SMS");

        JsonNode sms = send(body, true);

        assertEquals(body, sms.path("body").asText());
        assertEquals(1, sms.path("segments").asInt(), sms::toPrettyString);
    }

    @Test
    void withShortenUrlsFalseTheTextIsSentAsGivenWithoutLinks() {
        String body = SOME_WORDS + " " + LONG_URL;

        JsonNode sms = send(body, false);

        assertEquals(body, sms.path("body").asText());
        assertFalse(sms.has("links"), sms::toPrettyString);
        assertEquals(2, sms.path("segments").asInt(), sms::toPrettyString);
    }

    @Test
    void aUrlShorterThanItsLinkWouldBeIsKept() {
        JsonNode sms = send("Voir " + SHORT_URL, true);

        assertFalse(sms.has("links"), sms::toPrettyString);
        assertEquals(1, sms.path("segments").asInt());
    }

    @Test
    void theCarrierGetsTheShortLinkInPlaceOfTheUrl() throws Exception {
        SmscSimulator simulator = server.simulator();
        String shortUrl = onlyLink(send("Nos soldes : " + LONG_URL, true)).path("shortUrl").asText();

        List<String> texts = Eventually.await("the SMS reaching the carrier",
                () -> simulator.received().stream().map(SmscSimulator.ReceivedSubmit::text)
                        .filter(text -> text.contains(shortUrl)).toList(),
                found -> !found.isEmpty());

        assertEquals(List.of("Nos soldes : " + shortUrl), texts);
    }

    @Test
    void anUnknownCodeIsNotFound() {
        Exchange followed = server.send(RawRequest.get("/r/Zz9Zz9Zz9Zz9"), SpecCheck.requestAndResponse());

        assertStatus(404, followed);
        assertEquals("application/problem+json", mediaType(followed));
    }
}
