package dev.sofy.conformance;

import dev.sofy.client.ApiClient;
import dev.sofy.client.Sofy;
import dev.sofy.client.api.SmsApi;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The generated client, running over a {@link RecordingHttpClient}, and what it has exchanged so far. */
record GeneratedClient(SmsApi sms, List<Exchange> exchanges) {

    /**
     * The client {@link Sofy#apiClient} makes for {@code baseUri} and {@code key}; each exchange is
     * recorded, then checked against the spec, request and response, before the client reads it.
     */
    static GeneratedClient over(URI baseUri, KeyPair key, SpecValidator spec) {
        List<Exchange> exchanges = new CopyOnWriteArrayList<>();
        ApiClient apiClient = Sofy.apiClient(baseUri.toString(), key.id(), key.secret());
        // Replaces the builder Sofy.apiClient set (it has no getter) with the same one, recorded.
        apiClient.setHttpClientBuilder(RecordingHttpClient.builder(
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)), baseUri, exchange -> {
                    exchanges.add(exchange);
                    spec.assertConforms(exchange, SpecCheck.requestAndResponse());
                }));
        return new GeneratedClient(new SmsApi(apiClient), Collections.unmodifiableList(exchanges));
    }
}
