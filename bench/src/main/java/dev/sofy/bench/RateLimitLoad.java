package dev.sofy.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Open-loop load at a fixed rate (wrk only knows closed loops): sends the seed's request at
 * {@code rate} per second for {@code seconds}, whatever the answers, and checks what a key over
 * its limit must get: 429 with Retry-After and the x-ratelimit headers, and an accepted rate
 * close to the limit. Arguments: base URL, key id, key secret, limit, rate, seconds.
 */
public final class RateLimitLoad {
    private static final String BODY =
            "{\"from\":\"APITEST\",\"to\":\"590690112233\",\"body\":\"Hello world\",\"shortenUrls\":true,\"isTransactional\":false}";

    private RateLimitLoad() {}

    public static void main(String[] args) {
        URI uri = URI.create(args[0] + "/v1/sms");
        String keyId = args[1];
        String secret = args[2];
        int limit = Integer.parseInt(args[3]);
        int rate = Integer.parseInt(args[4]);
        int seconds = Integer.parseInt(args[5]);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        var created = new AtomicInteger();
        var refused = new AtomicInteger();
        var other = new AtomicInteger();
        var badRefusals = new AtomicInteger();
        List<CompletableFuture<Void>> pending = new ArrayList<>();
        long start = System.nanoTime();
        long interval = 1_000_000_000L / rate;
        int total = rate * seconds;
        for (int i = 0; i < total; i++) {
            LockSupport.parkNanos(start + i * interval - System.nanoTime());
            HttpRequest request = HttpRequest.newBuilder(uri)
                    .timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json")
                    .header("X-API-KEY-ID", keyId)
                    .header("X-API-KEY-SECRET", secret)
                    .POST(HttpRequest.BodyPublishers.ofString(BODY))
                    .build();
            pending.add(client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).handle((response, error) -> {
                if (error != null || response == null) {
                    other.incrementAndGet();
                } else if (response.statusCode() == 201) {
                    created.incrementAndGet();
                } else if (response.statusCode() == 429) {
                    refused.incrementAndGet();
                    if (!isWellFormedRefusal(response, limit)) {
                        badRefusals.incrementAndGet();
                    }
                } else {
                    other.incrementAndGet();
                }
                return null;
            }));
        }
        long sentIn = System.nanoTime() - start;
        pending.forEach(CompletableFuture::join);
        double acceptedPerSecond = created.get() / (sentIn / 1e9);
        double deviation = (acceptedPerSecond - limit) / limit;
        System.out.printf("rate-limit: limit %d/s, offered %d/s for %d s: %d created (%.1f/s, %+.1f%% of the limit),"
                        + " %d refused with 429 (%d without correct headers), %d other%n",
                limit, rate, seconds, created.get(), acceptedPerSecond, deviation * 100, refused.get(),
                badRefusals.get(), other.get());
        boolean ok = Math.abs(deviation) <= 0.10 && refused.get() > 0 && badRefusals.get() == 0 && other.get() == 0;
        System.out.println("rate-limit: " + (ok ? "PASS" : "FAIL"));
        System.exit(ok ? 0 : 1);
    }

    private static boolean isWellFormedRefusal(HttpResponse<?> response, int limit) {
        Optional<Long> retryAfter = response.headers().firstValue("Retry-After").map(Long::valueOf);
        return retryAfter.filter(seconds -> seconds >= 1).isPresent()
                && response.headers().firstValue("x-ratelimit-limit").equals(Optional.of(Integer.toString(limit)))
                && response.headers().firstValue("x-ratelimit-remaining").equals(Optional.of("0"))
                && response.headers().firstValue("x-ratelimit-reset").isPresent()
                && response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json");
    }
}
