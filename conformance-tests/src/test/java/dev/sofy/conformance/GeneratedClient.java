package dev.sofy.conformance;

import dev.sofy.client.ApiClient;
import dev.sofy.client.Sofy;
import dev.sofy.client.api.InboundSmsApi;
import dev.sofy.client.api.OptOutsApi;
import dev.sofy.client.api.SmsApi;
import dev.sofy.client.api.WebhooksApi;
import dev.sofy.testing.KeyPair;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The generated client, running over a {@link RecordingHttpClient}, and what it has exchanged so
 * far; {@code apiClient} is for what is built on the client, such as {@code BulkSender}.
 */
record GeneratedClient(ApiClient apiClient, SmsApi sms, List<Exchange> exchanges) {

    /**
     * The client {@link Sofy#apiClient} makes for {@code baseUri} and {@code key}; each exchange is
     * recorded, then checked against the spec, request and response, before the client reads it.
     */
    static GeneratedClient over(URI baseUri, KeyPair key, SpecValidator spec) {
        return recording(baseUri, key, exchange -> spec.assertConforms(exchange, SpecCheck.requestAndResponse()));
    }

    /**
     * The same client, each exchange recorded but not checked: for load, where checking every
     * exchange as it happens would slow the client down; the test checks {@link #exchanges()} after.
     */
    static GeneratedClient recordingOnly(URI baseUri, KeyPair key) {
        return recording(baseUri, key, exchange -> {});
    }

    /** The opt-out operations, over the same recorded (and checked) client. */
    OptOutsApi optOuts() {
        return new OptOutsApi(apiClient);
    }

    /** The inbound SMS operations, over the same recorded (and checked) client. */
    InboundSmsApi inboundSms() {
        return new InboundSmsApi(apiClient);
    }

    /** The webhook operations, over the same recorded (and checked) client. */
    WebhooksApi webhooks() {
        return new WebhooksApi(apiClient);
    }

    private static GeneratedClient recording(URI baseUri, KeyPair key, Consumer<Exchange> check) {
        List<Exchange> exchanges = new CopyOnWriteArrayList<>();
        ApiClient apiClient = Sofy.apiClient(baseUri.toString(), key.id(), key.secret());
        // Replaces the builder Sofy.apiClient set (it has no getter) with the same one, recorded.
        apiClient.setHttpClientBuilder(RecordingHttpClient.builder(
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)), baseUri, exchange -> {
                    exchanges.add(exchange);
                    check.accept(exchange);
                }));
        return new GeneratedClient(apiClient, new SmsApi(apiClient), Collections.unmodifiableList(exchanges));
    }
}
