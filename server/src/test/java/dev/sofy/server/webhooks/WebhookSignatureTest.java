package dev.sofy.server.webhooks;

import static dev.sofy.server.webhooks.WebhookSignature.Verification.MALFORMED;
import static dev.sofy.server.webhooks.WebhookSignature.Verification.NO_MATCHING_SIGNATURE;
import static dev.sofy.server.webhooks.WebhookSignature.Verification.TIMESTAMP_OUT_OF_TOLERANCE;
import static dev.sofy.server.webhooks.WebhookSignature.Verification.VALID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class WebhookSignatureTest {
    // The vector of the Standard Webhooks reference libraries' tests (standard-webhooks/standard-webhooks,
    // libraries/java/src/test/java/com/standardwebhooks/WebhookTest.java, verifyWebhookSignWorks).
    private static final String SPEC_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String SPEC_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final long SPEC_TIMESTAMP = 1614265330;
    private static final String SPEC_BODY = "{\"test\": 2432232314}";
    private static final String SPEC_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
    private static final Instant SPEC_TIME = Instant.ofEpochSecond(SPEC_TIMESTAMP);

    @Test
    void signingTheReferenceVectorGivesTheReferenceSignature() {
        assertEquals(SPEC_SIGNATURE, WebhookSignature.sign(SPEC_SECRET, SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY));
    }

    @Test
    void theReferenceVectorVerifies() {
        assertEquals(VALID, verifySpec(SPEC_BODY, SPEC_SIGNATURE, SPEC_TIME));
    }

    @Test
    void signaturesMatchAnIndependentHmacOfIdTimestampAndBody() throws Exception {
        String secret = WebhookSignature.newSecret();
        String body = "{\"id\":\"8_zyfMv7Q_o7ovXviPUu3\",\"status\":\"delivered\",\"text\":\"Café à 5 €\"}";
        var mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
        String independent = "v1," + Base64.getEncoder().encodeToString(
                mac.doFinal(("msg_42.1767225600." + body).getBytes(StandardCharsets.UTF_8)));
        assertEquals(independent, WebhookSignature.sign(secret, "msg_42", 1767225600L, body));
    }

    @Test
    void theSecretMayComeWithoutItsPrefix() {
        assertEquals(SPEC_SIGNATURE, WebhookSignature.sign("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", SPEC_ID, SPEC_TIMESTAMP,
                SPEC_BODY));
    }

    @Test
    void aSignatureIsValidFiveMinutesAfterItsTimestamp() {
        assertEquals(VALID, verifySpec(SPEC_BODY, SPEC_SIGNATURE, SPEC_TIME.plusSeconds(300)));
    }

    @Test
    void aSignatureIsStaleFiveMinutesAndOneSecondAfterItsTimestamp() {
        assertEquals(TIMESTAMP_OUT_OF_TOLERANCE, verifySpec(SPEC_BODY, SPEC_SIGNATURE, SPEC_TIME.plusSeconds(301)));
    }

    @Test
    void aTimestampFiveMinutesAheadIsAccepted() {
        assertEquals(VALID, verifySpec(SPEC_BODY, SPEC_SIGNATURE, SPEC_TIME.minusSeconds(300)));
    }

    @Test
    void aTimestampMoreThanFiveMinutesAheadIsRefused() {
        assertEquals(TIMESTAMP_OUT_OF_TOLERANCE, verifySpec(SPEC_BODY, SPEC_SIGNATURE, SPEC_TIME.minusSeconds(301)));
    }

    @Test
    void oneMatchingSignatureAmongSeveralIsEnough() {
        String signatures = "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= v1a,hnO3f9T8Ytu9HwrXslvumlUpqtNVqkhq "
                + SPEC_SIGNATURE + " v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=";
        assertEquals(VALID, verifySpec(SPEC_BODY, signatures, SPEC_TIME));
    }

    @Test
    void extraSpacesBetweenSignaturesAreTolerated() {
        assertEquals(VALID, verifySpec(SPEC_BODY, "  v1,bm90IGl0  " + SPEC_SIGNATURE + " ", SPEC_TIME));
    }

    @Test
    void theRightBytesUnderAnotherVersionDoNotCount() {
        assertEquals(NO_MATCHING_SIGNATURE,
                verifySpec(SPEC_BODY, SPEC_SIGNATURE.replace("v1,", "v2,"), SPEC_TIME));
    }

    @Test
    void aChangedBodyDoesNotVerify() {
        assertEquals(NO_MATCHING_SIGNATURE, verifySpec("{\"test\":2432232314}", SPEC_SIGNATURE, SPEC_TIME));
    }

    @Test
    void aChangedIdDoesNotVerify() {
        assertEquals(NO_MATCHING_SIGNATURE, WebhookSignature.verify(SPEC_SECRET, "msg_other",
                Long.toString(SPEC_TIMESTAMP), SPEC_BODY, SPEC_SIGNATURE, SPEC_TIME));
    }

    @Test
    void aChangedTimestampDoesNotVerify() {
        assertEquals(NO_MATCHING_SIGNATURE, WebhookSignature.verify(SPEC_SECRET, SPEC_ID,
                Long.toString(SPEC_TIMESTAMP + 1), SPEC_BODY, SPEC_SIGNATURE, SPEC_TIME));
    }

    @Test
    void anotherSecretDoesNotVerify() {
        assertEquals(NO_MATCHING_SIGNATURE, WebhookSignature.verify(WebhookSignature.newSecret(), SPEC_ID,
                Long.toString(SPEC_TIMESTAMP), SPEC_BODY, SPEC_SIGNATURE, SPEC_TIME));
    }

    @ParameterizedTest(name = "\"{0}\" matches nothing")
    @ValueSource(strings = {"v1,not base64!", "v1,", "v1", "g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
        "v1,g0hM9SsE"})
    void signaturesThatAreNotTheV1SignatureMatchNothing(String signatures) {
        assertEquals(NO_MATCHING_SIGNATURE, verifySpec(SPEC_BODY, signatures, SPEC_TIME));
    }

    @Test
    void aSignatureWithoutItsBase64PaddingStillVerifies() {
        // Signatures are compared as the bytes they decode to, not as text.
        assertEquals(VALID, verifySpec(SPEC_BODY, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE", SPEC_TIME));
    }

    @ParameterizedTest(name = "signature header \"{0}\" is malformed")
    @NullAndEmptySource
    @ValueSource(strings = {"   "})
    void aMissingSignatureHeaderIsMalformed(String signatures) {
        assertEquals(MALFORMED, verifySpec(SPEC_BODY, signatures, SPEC_TIME));
    }

    @ParameterizedTest(name = "timestamp \"{0}\" is malformed")
    @NullAndEmptySource
    @ValueSource(strings = {"-1614265330", "1614265330.5", "16142 65330", "soon", "9999999999999999999"})
    void aTimestampThatIsNoUnixSecondsIsMalformed(String timestamp) {
        assertEquals(MALFORMED,
                WebhookSignature.verify(SPEC_SECRET, SPEC_ID, timestamp, SPEC_BODY, SPEC_SIGNATURE, SPEC_TIME));
    }

    @ParameterizedTest(name = "id \"{0}\" is malformed")
    @NullAndEmptySource
    @ValueSource(strings = {" ", "msg.1"})
    void anIdThatIsBlankOrHasADotIsMalformed(String id) {
        assertEquals(MALFORMED, WebhookSignature.verify(SPEC_SECRET, id, Long.toString(SPEC_TIMESTAMP), SPEC_BODY,
                SPEC_SIGNATURE, SPEC_TIME));
    }

    @Test
    void aMissingBodyIsMalformed() {
        assertEquals(MALFORMED, WebhookSignature.verify(SPEC_SECRET, SPEC_ID, Long.toString(SPEC_TIMESTAMP),
                (byte[]) null, SPEC_SIGNATURE, SPEC_TIME));
    }

    @Test
    void anIdWithADotCannotBeSigned() {
        assertThrows(IllegalArgumentException.class, () -> WebhookSignature.sign(SPEC_SECRET, "msg.1", 0, "{}"));
    }

    @Test
    void aNegativeTimestampCannotBeSigned() {
        assertThrows(IllegalArgumentException.class, () -> WebhookSignature.sign(SPEC_SECRET, SPEC_ID, -1, "{}"));
    }

    @ParameterizedTest(name = "secret \"{0}\" is refused")
    @ValueSource(strings = {"whsec_not base64!", "whsec_", "whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==",
        "whsec_" + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"})
    void secretsThatAreNotBase64OfTwentyFourToSixtyFourBytesAreRefused(String secret) {
        assertThrows(IllegalArgumentException.class, () -> WebhookSignature.sign(secret, SPEC_ID, SPEC_TIMESTAMP, "{}"));
    }

    @Test
    void aMalformedSecretIsRefusedWhenVerifyingToo() {
        assertThrows(IllegalArgumentException.class, () -> WebhookSignature.verify("whsec_short", SPEC_ID,
                Long.toString(SPEC_TIMESTAMP), SPEC_BODY, SPEC_SIGNATURE, SPEC_TIME));
    }

    @Test
    void newSecretsStartWithWhsec() {
        assertTrue(WebhookSignature.newSecret().startsWith("whsec_"));
    }

    @Test
    void newSecretsHoldThirtyTwoBytes() {
        assertEquals(32, Base64.getDecoder().decode(WebhookSignature.newSecret().substring("whsec_".length())).length);
    }

    @Test
    void newSecretsDiffer() {
        assertNotEquals(WebhookSignature.newSecret(), WebhookSignature.newSecret());
    }

    @Test
    void whatIsSignedWithANewSecretVerifiesWithIt() {
        String secret = WebhookSignature.newSecret();
        Instant now = Instant.parse("2026-06-03T10:00:00Z");
        String signature = WebhookSignature.sign(secret, "msg_1", now.getEpochSecond(), "{\"a\":1}");
        assertEquals(VALID, WebhookSignature.verify(secret, "msg_1", Long.toString(now.getEpochSecond()), "{\"a\":1}",
                signature, now));
    }

    @Test
    void validIsValid() {
        assertTrue(VALID.isValid());
    }

    @ParameterizedTest(name = "{0} is not valid")
    @EnumSource(value = WebhookSignature.Verification.class, names = "VALID", mode = EnumSource.Mode.EXCLUDE)
    void everyOtherVerdictIsNotValid(WebhookSignature.Verification verification) {
        assertFalse(verification.isValid());
    }

    @Test
    void theHeadersAreThoseOfStandardWebhooks() {
        assertEquals("webhook-id webhook-timestamp webhook-signature", WebhookSignature.ID_HEADER + " "
                + WebhookSignature.TIMESTAMP_HEADER + " " + WebhookSignature.SIGNATURE_HEADER);
    }

    private static WebhookSignature.Verification verifySpec(String body, String signatures, Instant now) {
        return WebhookSignature.verify(SPEC_SECRET, SPEC_ID, Long.toString(SPEC_TIMESTAMP), body, signatures, now);
    }
}
