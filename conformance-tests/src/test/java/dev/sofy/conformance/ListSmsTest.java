package dev.sofy.conformance;

import static dev.sofy.conformance.Answers.assertStatus;
import static dev.sofy.conformance.Answers.errorFields;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sofy.testing.KeyPair;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** An account lists its SMS newest first, a page at a time, filtered; never another account's. */
@ExtendWith(ConformanceExtension.class)
final class ListSmsTest {
    private final ServerUnderTest server;

    ListSmsTest(ServerUnderTest server) {
        this.server = server;
    }

    /** Creates SMS with the bodies given, in order, and returns their ids in that order. */
    private List<String> create(KeyPair key, String to, String... bodies) {
        List<String> ids = new ArrayList<>();
        for (String body : bodies) {
            Exchange created = server.send(RawRequest.post("/v1/sms").key(key)
                    .json("{\"from\":\"APITEST\",\"to\":\"" + to + "\",\"body\":\"" + body + "\"}"),
                    SpecCheck.requestAndResponse());
            assertStatus(201, created);
            ids.add(created.responseJson().path("id").asText());
        }
        return ids;
    }

    private Exchange list(KeyPair key, String query) {
        return server.send(RawRequest.get("/v1/sms" + query).key(key), SpecCheck.requestAndResponse());
    }

    private Exchange listRefused(KeyPair key, String query) {
        return server.send(RawRequest.get("/v1/sms" + query).key(key), SpecCheck.responseOnly());
    }

    private static List<String> ids(Exchange page) {
        List<String> ids = new ArrayList<>();
        page.responseJson().path("data").forEach(sms -> ids.add(sms.path("id").asText()));
        return ids;
    }

    private static String encoded(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Test
    void theNewestSmsComeFirst() {
        KeyPair key = server.freshAccountKey();
        List<String> created = create(key, "590690112233", "first", "second", "third");

        Exchange page = list(key, "");

        assertStatus(200, page);
        assertEquals(List.of(created.get(2), created.get(1), created.get(0)), ids(page));
        assertFalse(page.responseJson().path("hasMore").asBoolean());
        assertFalse(page.responseJson().has("nextCursor"));
    }

    @Test
    void followingTheCursorsWalksEverySmsOnce() {
        KeyPair key = server.freshAccountKey();
        List<String> created = create(key, "590690112233", "one", "two", "three", "four", "five");
        List<String> walked = new ArrayList<>();

        Exchange page = list(key, "?limit=2");
        walked.addAll(ids(page));
        int pages = 1;
        while (page.responseJson().path("hasMore").asBoolean()) {
            page = list(key, "?limit=2&cursor=" + encoded(page.responseJson().path("nextCursor").asText()));
            walked.addAll(ids(page));
            pages++;
        }

        assertEquals(3, pages);
        assertEquals(List.of(created.get(4), created.get(3), created.get(2), created.get(1), created.get(0)), walked);
    }

    @Test
    void aListedSmsIsTheSmsItself() {
        KeyPair key = server.freshAccountKey();
        String id = create(key, "590690112233", "listed").get(0);

        JsonNode listed = list(key, "").responseJson().path("data").get(0);
        JsonNode read = server.send(RawRequest.get("/v1/sms/" + id).key(key), SpecCheck.requestAndResponse()).responseJson();

        assertEquals(read.path("id"), listed.path("id"));
        assertEquals(read.path("body"), listed.path("body"));
        assertEquals(read.path("createdAt"), listed.path("createdAt"));
    }

    @Test
    void theRecipientFilterKeepsOnlyThatRecipientWithOrWithoutPlus() {
        KeyPair key = server.freshAccountKey();
        List<String> toGuadeloupe = create(key, "590690112233", "a");
        create(key, "33612345678", "b");

        assertEquals(toGuadeloupe, ids(list(key, "?to=590690112233")));
        assertEquals(toGuadeloupe, ids(list(key, "?to=" + encoded("+590690112233"))));
    }

    @Test
    void theCreationTimeFiltersKeepTheirRange() {
        KeyPair key = server.freshAccountKey();
        create(key, "590690112233", "before");
        String between = list(key, "").responseJson().path("data").get(0).path("createdAt").asText();
        Instant from = Instant.parse(between).plusNanos(1_000);
        List<String> later = create(key, "590690112233", "after");

        assertEquals(later, ids(list(key, "?createdFrom=" + encoded(from.toString()))));
        assertEquals(1, ids(list(key, "?createdTo=" + encoded(from.toString()))).size());
    }

    @Test
    void theStatusFilterKeepsOnlyThatStatus() throws InterruptedException {
        KeyPair key = server.freshAccountKey();
        // The simulator rejects this test number at submission: its SMS end errored, and stay so.
        List<String> rejected = create(key, Lifecycle.REJECTED_NUMBER, "a", "b");
        create(key, "590690112233", "c");
        for (String id : rejected) {
            Lifecycle.awaitStatus(server, key, id, "errored");
        }

        Exchange filtered = list(key, "?status=errored");

        assertEquals(List.of(rejected.get(1), rejected.get(0)), ids(filtered));
    }

    @Test
    void anotherAccountsSmsNeverAppear() {
        KeyPair mine = server.freshAccountKey();
        KeyPair theirs = server.freshAccountKey();
        create(theirs, "590690112233", "theirs");

        Exchange page = list(mine, "");

        assertStatus(200, page);
        assertEquals(List.of(), ids(page));
    }

    @Test
    void aLimitOutOfRangeIsRefusedNamingLimit() {
        assertEquals(Set.of("limit"), errorFields(listRefused(server.key(), "?limit=0")));
        assertEquals(Set.of("limit"), errorFields(listRefused(server.key(), "?limit=101")));
        assertEquals(Set.of("limit"), errorFields(listRefused(server.key(), "?limit=ten")));
    }

    @Test
    void aCursorThisServerDidNotGiveIsRefused() {
        Exchange refused = listRefused(server.key(), "?cursor=bm90LWEtY3Vyc29y");

        assertStatus(400, refused);
        assertEquals(Set.of("cursor"), errorFields(refused));
    }

    @Test
    void anUnknownStatusIsRefused() {
        Exchange refused = listRefused(server.key(), "?status=queued");

        assertStatus(400, refused);
        assertEquals(Set.of("status"), errorFields(refused));
    }

    @Test
    void aMalformedDateIsRefused() {
        Exchange refused = listRefused(server.key(), "?createdFrom=yesterday");

        assertStatus(400, refused);
        assertEquals(Set.of("createdFrom"), errorFields(refused));
    }

    @Test
    void anInvalidRecipientFilterIsRefused() {
        Exchange refused = listRefused(server.key(), "?to=0612");

        assertStatus(400, refused);
        assertEquals(Set.of("to"), errorFields(refused));
    }

    @Test
    void everyBadParameterIsListedTogether() {
        Exchange refused = listRefused(server.key(), "?limit=0&status=queued&createdTo=soon");

        assertEquals(Set.of("limit", "status", "createdTo"), errorFields(refused));
    }

    @Test
    void aParameterGivenTwiceIsRefused() {
        Exchange refused = listRefused(server.key(), "?limit=1&limit=2");

        assertStatus(400, refused);
        assertEquals(Set.of("limit"), errorFields(refused));
    }
}
