package dev.sofy.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sofy.server.ApiRequests;
import dev.sofy.server.SmsApi;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code GET /r/{code}} over a real server: what it answers and what it stores. */
final class RedirectsTest {
    private static TestServer server;

    @BeforeAll
    static void startServer() {
        server = TestServer.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    /** Sends an SMS with this body and returns the path of its only short link, {@code /r/<code>}. */
    private static String shortLinkPath(String body) throws Exception {
        String json = SmsApi.JSON.createObjectNode().put("from", "APITEST").put("to", "590690112233")
                .put("body", body).put("shortenUrls", true).put("isTransactional", true).toString();
        HttpResponse<String> created = server.send(ApiRequests.createSms(server.baseUri(), TestServer.KEY, json));
        assertEquals(201, created.statusCode(), created.body());
        JsonNode links = SmsApi.JSON.readTree(created.body()).path("links");
        assertEquals(1, links.size(), created.body());
        String shortUrl = links.get(0).path("shortUrl").asText();
        return shortUrl.substring(server.baseUri().toString().length());
    }

    private static RawHttp.Response get(String path) throws Exception {
        return RawHttp.exchange(server.port(), "GET " + path + " HTTP/1.1");
    }

    @Test
    void theLocationOfALinkWithAnAccentAnEmojiAndAControlCharacterIsPrintableAscii() throws Exception {
        String path = shortLinkPath("Voir https://www.example.com/soldes/été-2026/\uD83C\uDF89\u0085suite");

        String location = get(path).header("location");

        assertTrue(location.chars().allMatch(c -> c > ' ' && c < 0x7F), location);
        assertEquals("https://www.example.com/soldes/%C3%A9t%C3%A9-2026/%F0%9F%8E%89", location);
    }
}
