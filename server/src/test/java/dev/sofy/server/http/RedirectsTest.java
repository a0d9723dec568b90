package dev.sofy.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sofy.server.ApiRequests;
import dev.sofy.server.SmsTestClient;
import dev.sofy.testing.RawHttp;
import java.net.InetAddress;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /r/{code}} over a real server: the answer, the limit per client address, and which
 * clicks count. Each test plays its own clients, from addresses of 127.0.0.0/8, so that no test
 * spends another's limit.
 */
final class RedirectsTest {
    private static final String UNKNOWN_CODE = "/r/Zz9Zz9Zz9Zz9";
    private static final long AWAIT_NANOS = 10_000_000_000L;
    private static TestServer server;
    /** A server that lets an address follow 2 links at once, then 1 a second. */
    private static TestServer limited;

    @BeforeAll
    static void startServers() {
        server = TestServer.start();
        limited = TestServer.start(Map.of("SOFY_REDIRECT_RATE", "1", "SOFY_REDIRECT_BURST", "2"));
    }

    @AfterAll
    static void stopServers() {
        server.close();
        limited.close();
    }

    /** Sends an SMS with this body; returns its id and the path of its only short link, {@code /r/<code>}. */
    private static Map.Entry<String, String> smsWithALink(TestServer on, String body) throws Exception {
        String json = SmsTestClient.JSON.createObjectNode().put("from", "APITEST").put("to", "590690112233")
                .put("body", body).put("shortenUrls", true).put("isTransactional", true).toString();
        HttpResponse<String> created = on.send(ApiRequests.createSms(on.baseUri(), TestServer.KEY, json));
        assertEquals(201, created.statusCode(), created.body());
        JsonNode sms = SmsTestClient.JSON.readTree(created.body());
        assertEquals(1, sms.path("links").size(), created.body());
        String shortUrl = sms.path("links").get(0).path("shortUrl").asText();
        return Map.entry(sms.path("id").asText(), shortUrl.substring(on.baseUri().toString().length()));
    }

    private static String shortLinkPath(String body) throws Exception {
        return smsWithALink(server, body).getValue();
    }

    private static RawHttp.Response request(TestServer on, String client, String method, String path) throws Exception {
        return RawHttp.exchangeFrom(InetAddress.getByName(client), on.port(), method + " " + path + " HTTP/1.1");
    }

    private static long clicks(TestServer on, String smsId) throws Exception {
        HttpResponse<String> read = on.send(ApiRequests.getSms(on.baseUri(), TestServer.KEY, smsId));
        return SmsTestClient.JSON.readTree(read.body()).path("links").get(0).path("clicks").asLong();
    }

    /**
     * The clicks of the SMS once every click made before now is committed. A click on a link of
     * its own, from {@code sentinelClient}, is made now and awaited: the writer commits clicks in
     * the order they came, so a click that should not count but did shows by then too.
     */
    private static long clicksCommitted(TestServer on, String smsId, String sentinelClient) throws Exception {
        var sentinel = smsWithALink(on, "Voir https://www.example.com/soldes/ete-2026/temoin-" + sentinelClient);
        assertEquals(302, request(on, sentinelClient, "GET", sentinel.getValue()).status());
        long deadline = System.nanoTime() + AWAIT_NANOS;
        while (clicks(on, sentinel.getKey()) < 1 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(1, clicks(on, sentinel.getKey()), "the sentinel's click was not committed");
        return clicks(on, smsId);
    }

    @Test
    void theLocationOfALinkWithAnAccentAnEmojiAndAControlCharacterIsPrintableAscii() throws Exception {
        String path = shortLinkPath("Voir https://www.example.com/soldes/été-2026/\uD83C\uDF89\u0085suite");

        String location = request(server, "127.0.0.1", "GET", path).header("location");

        assertTrue(location.chars().allMatch(c -> c > ' ' && c < 0x7F), location);
        assertEquals("https://www.example.com/soldes/%C3%A9t%C3%A9-2026/%F0%9F%8E%89", location);
    }

    @Test
    void twoClicksOfALinkFromOneAddressWithinThirtySecondsCountOnce() throws Exception {
        var sms = smsWithALink(server, "Voir https://www.example.com/soldes/ete-2026/une-fois");
        assertEquals(302, request(server, "127.0.0.2", "GET", sms.getValue()).status());
        assertEquals(302, request(server, "127.0.0.2", "GET", sms.getValue()).status());
        assertEquals(302, request(server, "127.0.0.3", "GET", sms.getValue()).status());

        assertEquals(2, clicksCommitted(server, sms.getKey(), "127.0.2.1"));
    }

    @Test
    void clicksOfALinkFromTwoAddressesCountTwice() throws Exception {
        var sms = smsWithALink(server, "Voir https://www.example.com/soldes/ete-2026/deux-fois");
        assertEquals(302, request(server, "127.0.0.4", "GET", sms.getValue()).status());
        assertEquals(302, request(server, "127.0.0.5", "GET", sms.getValue()).status());

        assertEquals(2, clicksCommitted(server, sms.getKey(), "127.0.2.2"));
    }

    @Test
    void aHeadRequestCountsNoClick() throws Exception {
        var sms = smsWithALink(server, "Voir https://www.example.com/soldes/ete-2026/apercu");
        assertEquals(302, request(server, "127.0.0.6", "HEAD", sms.getValue()).status());
        assertEquals(302, request(server, "127.0.0.7", "GET", sms.getValue()).status());

        assertEquals(1, clicksCommitted(server, sms.getKey(), "127.0.2.3"));
    }

    @Test
    void anAddressOverItsLimitGets429WithRetryAfter() throws Exception {
        request(limited, "127.0.1.1", "GET", UNKNOWN_CODE);
        request(limited, "127.0.1.1", "GET", UNKNOWN_CODE);

        RawHttp.Response over = request(limited, "127.0.1.1", "GET", UNKNOWN_CODE);

        assertEquals(429, over.status());
        assertEquals("application/problem+json", over.header("content-type"));
        assertTrue(Long.parseLong(over.header("retry-after")) >= 1, over.headers().toString());
    }

    @Test
    void headRequestsCountAgainstTheLimit() throws Exception {
        String path = smsWithALink(limited, "Voir https://www.example.com/soldes/ete-2026/head").getValue();
        assertEquals(302, request(limited, "127.0.1.2", "HEAD", path).status());
        assertEquals(302, request(limited, "127.0.1.2", "HEAD", path).status());

        assertEquals(429, request(limited, "127.0.1.2", "GET", path).status());
    }

    @Test
    void anotherAddressKeepsItsOwnLimit() throws Exception {
        request(limited, "127.0.1.3", "GET", UNKNOWN_CODE);
        request(limited, "127.0.1.3", "GET", UNKNOWN_CODE);

        assertEquals(404, request(limited, "127.0.1.4", "GET", UNKNOWN_CODE).status());
    }

    @Test
    void aRedirectRefusedForTheLimitCountsNoClick() throws Exception {
        var sms = smsWithALink(limited, "Voir https://www.example.com/soldes/ete-2026/refuse");
        request(limited, "127.0.1.5", "GET", UNKNOWN_CODE);
        request(limited, "127.0.1.5", "GET", UNKNOWN_CODE);
        assertEquals(429, request(limited, "127.0.1.5", "GET", sms.getValue()).status());
        assertEquals(302, request(limited, "127.0.1.6", "GET", sms.getValue()).status());

        assertEquals(1, clicksCommitted(limited, sms.getKey(), "127.0.2.4"));
    }
}
