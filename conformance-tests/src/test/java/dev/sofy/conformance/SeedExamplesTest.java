package dev.sofy.conformance;

import static dev.sofy.conformance.Answers.assertStatus;
import static dev.sofy.conformance.Answers.keys;
import static dev.sofy.conformance.Answers.mediaType;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The code examples of the user's document work as written, against this server. */
@ExtendWith(ConformanceExtension.class)
final class SeedExamplesTest {
    private final ServerUnderTest server;

    SeedExamplesTest(ServerUnderTest server) {
        this.server = server;
    }

    private Exchange sendTheSeedCurlRequest() {
        return server.send(Seed.curlRequest(server.key()), SpecCheck.requestAndResponse());
    }

    @Test
    void theSeedCurlRequestIsAnsweredWith201AndJson() {
        Exchange exchange = sendTheSeedCurlRequest();

        assertStatus(201, exchange);
        assertEquals("application/json", mediaType(exchange));
    }

    @Test
    void theSeedCurlRequestIsAnsweredWithTheLocationOfTheNewSms() {
        Exchange exchange = sendTheSeedCurlRequest();

        String id = exchange.responseJson().path("id").asText();
        assertEquals("/v1/sms/" + id, exchange.responseHeader("Location").orElse(null));
    }

    @Test
    void theSeedCurlRequestIsAnsweredWithTheSeedResponseKeysFirstInTheSeedOrder() {
        Exchange exchange = sendTheSeedCurlRequest();

        List<String> keys = keys(exchange.responseJson());
        assertEquals(Seed.RESPONSE_KEYS, keys.subList(0, Math.min(keys.size(), Seed.RESPONSE_KEYS.size())));
    }

    @Test
    void theSeedCurlRequestIsAnsweredWithNothingButTheSeedKeysAndTheDocumentedAdditions() {
        Exchange exchange = sendTheSeedCurlRequest();

        List<String> keys = keys(exchange.responseJson());
        assertEquals(Seed.addedResponseKeys(exchange.responseJson()),
                keys.subList(Math.min(keys.size(), Seed.RESPONSE_KEYS.size()), keys.size()));
    }

    @Test
    void theSeedCurlRequestIsAnsweredWithThePendingSms() {
        JsonNode sms = sendTheSeedCurlRequest().responseJson();

        assertEquals("pending", sms.path("status").asText());
        assertEquals("", sms.path("statusReason").asText(null));
    }

    @Test
    void theSeedCurlRequestIsAnsweredWithANanoidLikeTheSeeds() {
        String id = sendTheSeedCurlRequest().responseJson().path("id").asText();

        assertTrue(Seed.SMS_ID.matcher(id).matches(), () -> "not a 21-character nanoid: " + id);
    }

    @Test
    void theSeedCurlRequestIsAnsweredWithTheFieldsItSent() {
        JsonNode sms = sendTheSeedCurlRequest().responseJson();

        assertEquals("APITEST", sms.path("from").asText());
        assertEquals(Seed.RECIPIENT, sms.path("to").asText());
        assertEquals("Hello world", sms.path("body").asText());
        assertTrue(sms.path("shortenUrls").asBoolean(false));
        assertEquals(false, sms.path("isTransactional").asBoolean(true));
    }

    @Test
    void theSeedPhpRequestWithoutOptionalFieldsGetsTheirDefaults() {
        Exchange exchange = server.send(Seed.phpRequest(server.key()), SpecCheck.requestAndResponse());

        assertStatus(201, exchange);
        assertEquals(true, exchange.responseJson().path("shortenUrls").asBoolean(false));
        assertEquals(false, exchange.responseJson().path("isTransactional").asBoolean(true));
    }

    @Test
    void theSeedAxiosRequestIsAnsweredWithThePendingSms() {
        Exchange exchange = server.send(Seed.axiosRequest(server.key()), SpecCheck.requestAndResponse());

        assertStatus(201, exchange);
        assertEquals("pending", exchange.responseJson().path("status").asText());
    }
}
