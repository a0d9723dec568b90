package dev.sofy.conformance;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks 1.0 signature checking, written here from the specification rather than
 * taken from the server: {@code webhook-signature} holds space-separated {@code v1,<base64>}
 * signatures, each the HMAC-SHA256 of {@code <webhook-id>.<webhook-timestamp>.<body>} keyed with
 * the base64-decoded part of the secret after {@code whsec_}.
 */
final class StandardWebhooks {
    private static final String SECRET_PREFIX = "whsec_";

    private StandardWebhooks() {}

    /** Whether one of the signatures of {@code signatureHeader} is the {@code v1} signature of the request. */
    static boolean verifies(String secret, String id, String timestamp, byte[] body, String signatureHeader) {
        if (!secret.startsWith(SECRET_PREFIX)) {
            throw new IllegalArgumentException("a Standard Webhooks secret starts with whsec_: " + secret);
        }
        byte[] expected = hmacSha256(Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length())),
                (id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8), body);
        for (String signature : signatureHeader.strip().split(" +")) {
            if (signature.startsWith("v1,") && MessageDigest.isEqual(expected, decoded(signature.substring(3)))) {
                return true;
            }
        }
        return false;
    }

    private static byte[] decoded(String base64) {
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException notBase64) {
            return new byte[0];
        }
    }

    private static byte[] hmacSha256(byte[] key, byte[] prefix, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(prefix);
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has HmacSHA256", e);
        }
    }
}
