package dev.sofy.conformance;

import static dev.sofy.conformance.Answers.assertStatus;
import static dev.sofy.conformance.Answers.errorFields;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sofy.testing.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** An account registers, lists and removes its webhook endpoints; bad URLs are refused. */
@ExtendWith(ConformanceExtension.class)
final class WebhookEndpointsTest {
    private static final String PUBLIC_URL = "https://example.com/sofy/events";

    private final ServerUnderTest server;

    WebhookEndpointsTest(ServerUnderTest server) {
        this.server = server;
    }

    private Exchange register(KeyPair key, String json, SpecCheck check) {
        return server.send(RawRequest.post("/v1/webhooks").key(key).json(json), check);
    }

    private Exchange register(KeyPair key, String url) {
        return register(key, "{\"url\":\"" + url + "\",\"events\":[\"sms.status\"]}", SpecCheck.requestAndResponse());
    }

    private Exchange list(KeyPair key) {
        return server.send(RawRequest.get("/v1/webhooks").key(key), SpecCheck.requestAndResponse());
    }

    private Exchange delete(KeyPair key, String id) {
        return server.send(RawRequest.of("DELETE", "/v1/webhooks/" + id).key(key), SpecCheck.requestAndResponse());
    }

    private static List<String> ids(Exchange list) {
        List<String> ids = new ArrayList<>();
        list.responseJson().path("data").forEach(endpoint -> ids.add(endpoint.path("id").asText()));
        return ids;
    }

    @Test
    void aRegisteredEndpointComesBackWithItsSigningSecretAndLocation() {
        Exchange created = register(server.freshAccountKey(), PUBLIC_URL);

        assertStatus(201, created);
        JsonNode endpoint = created.responseJson();
        assertTrue(endpoint.path("secret").asText().startsWith("whsec_"), created::describe);
        assertEquals(PUBLIC_URL, endpoint.path("url").asText());
        assertTrue(endpoint.path("enabled").asBoolean());
        assertEquals("/v1/webhooks/" + endpoint.path("id").asText(), created.responseHeader("Location").orElseThrow());
    }

    @Test
    void theListShowsTheEndpointsWithoutTheirSecrets() {
        KeyPair key = server.freshAccountKey();
        String id = register(key, PUBLIC_URL).responseJson().path("id").asText();

        Exchange listed = list(key);

        assertStatus(200, listed);
        assertEquals(List.of(id), ids(listed));
        assertFalse(listed.responseJson().path("data").get(0).has("secret"), listed::describe);
    }

    @Test
    void aRemovedEndpointIsGoneFromTheList() {
        KeyPair key = server.freshAccountKey();
        String id = register(key, PUBLIC_URL).responseJson().path("id").asText();

        Exchange removed = delete(key, id);

        assertStatus(204, removed);
        assertEquals(0, removed.responseBody().length);
        assertEquals(List.of(), ids(list(key)));
    }

    @Test
    void removingAnUnknownEndpointIsNotFound() {
        assertStatus(404, delete(server.key(), Answers.unusedSmsId()));
    }

    @Test
    void anotherAccountCannotRemoveAnEndpoint() {
        KeyPair owner = server.freshAccountKey();
        String id = register(owner, PUBLIC_URL).responseJson().path("id").asText();

        assertStatus(404, delete(server.freshAccountKey(), id));
        assertEquals(List.of(id), ids(list(owner)));
    }

    @Test
    void anotherAccountsEndpointsAreNotListed() {
        register(server.freshAccountKey(), PUBLIC_URL);

        assertEquals(List.of(), ids(list(server.freshAccountKey())));
    }

    @Test
    void aUrlThatIsNotHttpIsRefusedNamingUrl() {
        Exchange refused = register(server.freshAccountKey(), "{\"url\":\"ftp://example.com/x\",\"events\":[\"sms.status\"]}",
                SpecCheck.responseOnly());

        assertStatus(400, refused);
        assertEquals(Set.of("url"), errorFields(refused));
    }

    @Test
    void aCloudMetadataAddressIsAlwaysRefused() {
        Exchange refused = register(server.freshAccountKey(),
                "{\"url\":\"http://169.254.169.254/latest/meta-data\",\"events\":[\"sms.status\"]}", SpecCheck.responseOnly());

        assertStatus(400, refused);
        assertEquals(Set.of("url"), errorFields(refused));
    }

    @Test
    void anUnknownEventTypeIsRefused() {
        Exchange refused = register(server.freshAccountKey(),
                "{\"url\":\"" + PUBLIC_URL + "\",\"events\":[\"sms.sent\"]}", SpecCheck.responseOnly());

        assertStatus(400, refused);
        assertTrue(errorFields(refused).stream().allMatch(field -> field.startsWith("events")), refused::describe);
    }

    @Test
    void noEventIsRefused() {
        Exchange refused = register(server.freshAccountKey(), "{\"url\":\"" + PUBLIC_URL + "\",\"events\":[]}",
                SpecCheck.responseOnly());

        assertStatus(400, refused);
        assertEquals(Set.of("events"), errorFields(refused));
    }

    @Test
    void anEleventhEndpointIsRefusedWithConflict() {
        KeyPair key = server.freshAccountKey();
        for (int i = 0; i < 10; i++) {
            assertStatus(201, register(key, PUBLIC_URL + "/" + i));
        }

        Exchange refused = register(key, "{\"url\":\"" + PUBLIC_URL + "/11\",\"events\":[\"sms.status\"]}",
                SpecCheck.responseOnly());

        assertStatus(409, refused);
    }
}
