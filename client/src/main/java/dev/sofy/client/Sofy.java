package dev.sofy.client;

import java.net.http.HttpClient;
import java.time.Duration;

/** Entry point of the client: an {@link ApiClient} that sends the two API-key headers with every request. */
public final class Sofy {
    private Sofy() {}

    /**
     * A client for the server at {@code baseUri} (for example {@code http://localhost:8080}),
     * authenticated with a key pair. The generated client ignores the spec's apiKey schemes, so the
     * headers are set here.
     */
    public static ApiClient apiClient(String baseUri, String keyId, String keySecret) {
        var client = new ApiClient();
        client.updateBaseUri(baseUri);
        client.setHttpClientBuilder(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)));
        client.setReadTimeout(Duration.ofSeconds(30));
        client.setRequestInterceptor(request -> request
                .setHeader("X-API-KEY-ID", keyId)
                .setHeader("X-API-KEY-SECRET", keySecret));
        return client;
    }
}
