package dev.sofy.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sofy.testing.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The user's source document, "Send an SMS": its three code examples, sent as they send them
 * (only the host differs), and the response it shows.
 */
final class Seed {
    /** The body of the curl example: the bytes between the quotes of {@code -d '...'}. */
    static final String CURL_BODY = "{\n"
            + "    \"from\": \"APITEST\",\n"
            + "    \"to\": \"590690112233\",\n"
            + "    \"body\": \"Hello world\",\n"
            + "    \"shortenUrls\": true,\n"
            + "    \"isTransactional\": false\n"
            + "  }";

    /** What PHP's {@code json_encode} makes of the PHP example's array. */
    static final String PHP_BODY = "{\"from\":\"APITEST\",\"to\":\"590690112233\",\"body\":\"Hello world\"}";

    /** What axios's {@code JSON.stringify} makes of the axios example's object. */
    static final String AXIOS_BODY = "{\"from\":\"APITEST\",\"to\":\"590690112233\",\"body\":\"Hello world\","
            + "\"shortenUrls\":true,\"isTransactional\":false}";

    /** The response the document shows, verbatim. */
    static final String RESPONSE = "{\n"
            + "  \"shortenUrls\": true,\n"
            + "  \"isTransactional\": false,\n"
            + "  \"from\": \"36789\",\n"
            + "  \"to\": \"590690112233\",\n"
            + "  \"body\": \"Hello world !\",\n"
            + "  \"id\": \"8_zyfMv7Q_o7ovXviPUu3\",\n"
            + "  \"status\": \"pending\",\n"
            + "  \"statusReason\": \"\"\n"
            + "}";

    /** The keys of the response the document shows, in its order. */
    static final List<String> RESPONSE_KEYS =
            List.of("shortenUrls", "isTransactional", "from", "to", "body", "id", "status", "statusReason");

    /** What this server adds after the seed's keys, each documented in the spec. */
    static final List<String> ADDED_RESPONSE_KEYS = List.of("createdAt", "statusUpdatedAt", "segments", "encoding");

    /**
     * The documented additions an accepted SMS without links has: {@code heldUntil} follows them
     * while a marketing SMS to a French number waits for its sending window, which depends on the
     * hour the suite runs.
     */
    static List<String> addedResponseKeys(JsonNode sms) {
        if (!sms.has("heldUntil")) {
            return ADDED_RESPONSE_KEYS;
        }
        var keys = new ArrayList<>(ADDED_RESPONSE_KEYS);
        keys.add("heldUntil");
        return keys;
    }

    /** A 21-character URL-safe nanoid, like the document's {@code 8_zyfMv7Q_o7ovXviPUu3}. */
    static final Pattern SMS_ID = Pattern.compile("^[A-Za-z0-9_-]{21}$");

    static final String RECIPIENT = "590690112233";

    private Seed() {}

    /**
     * The curl example, byte for byte as curl 7.88 sends it: its headers in its order and spelling,
     * with the space the example leaves after the secret. (The tab before {@code -d} is shell
     * white space, not part of the body.)
     */
    static RawRequest curlRequest(KeyPair key) {
        return RawRequest.post("/v1/sms")
                .header("User-Agent", "curl/7.88.1")
                .header("accept", "application/json")
                .header("X-API-KEY-ID", key.id())
                .header("X-API-KEY-SECRET", key.secret() + " ")
                .header("Content-Type", "application/json")
                .body(CURL_BODY)
                .verbatim();
    }

    /** The PHP example: its three headers and no Accept, the optional fields left out, verbatim. */
    static RawRequest phpRequest(KeyPair key) {
        return RawRequest.post("/v1/sms")
                .header("X-API-KEY-ID", key.id())
                .header("X-API-KEY-SECRET", key.secret())
                .header("Content-Type", "application/json")
                .body(PHP_BODY)
                .verbatim();
    }

    /** The axios example, with the headers axios adds itself (Node's http adapter, axios 1.x), verbatim. */
    static RawRequest axiosRequest(KeyPair key) {
        return RawRequest.post("/v1/sms")
                .header("Accept", "application/json, text/plain, */*")
                .header("Content-Type", "application/json")
                .header("X-API-KEY-ID", key.id())
                .header("X-API-KEY-SECRET", key.secret())
                .header("User-Agent", "axios/1.7.9")
                .header("Accept-Encoding", "gzip, compress, deflate, br")
                .body(AXIOS_BODY)
                .verbatim();
    }
}
