package dev.sofy.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;

/**
 * Whether a refused key pair tells an attacker that its key id exists: times 401s, one request at
 * a time over one keep-alive connection, for three kinds of wrong pair sent in turn (the order
 * rotating each round): a known key id with a wrong secret, one unknown id sent again and again,
 * and a new unknown id each time. Prints the median, p90 and p99 of each and how far each median
 * is from the known id's. The server's failure limit must be raised (SOFY_AUTH_FAILURE_RATE and
 * SOFY_AUTH_FAILURE_BURST), or the figures would be those of 429s; any answer but 401 fails the run.
 * Arguments: base URL, a known key id, samples of each kind, warm-up rounds.
 */
public final class RefusalTiming {
    private static final SecureRandom RANDOM = new SecureRandom();
    /** A path behind authentication; the refusal comes before the route matters. */
    private static final String PATH = "/v1/sms/aaaaaaaaaaaaaaaaaaaaa";

    private record Kind(String name, Supplier<String> keyId) {}

    private RefusalTiming() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        URI uri = URI.create(args[0] + PATH);
        String knownId = args[1];
        int samples = Integer.parseInt(args[2]);
        int warmupRounds = Integer.parseInt(args[3]);
        String repeatedUnknownId = token(18);
        List<Kind> kinds = List.of(
                new Kind("known id, wrong secret", () -> knownId),
                new Kind("one unknown id, repeated", () -> repeatedUnknownId),
                new Kind("a new unknown id each time", () -> token(18)));
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        long[][] nanos = new long[kinds.size()][samples];
        for (int round = -warmupRounds; round < samples; round++) {
            for (int turn = 0; turn < kinds.size(); turn++) {
                int kind = Math.floorMod(round + turn, kinds.size());
                long took = refusal(client, uri, kinds.get(kind).keyId().get());
                if (round >= 0) {
                    nanos[kind][round] = took;
                }
            }
        }
        System.out.printf("refusal timing: %d samples of each kind, after %d warm-up rounds, one keep-alive connection%n",
                samples, warmupRounds);
        double reference = percentile(nanos[0], 0.5);
        for (int kind = 0; kind < kinds.size(); kind++) {
            double median = percentile(nanos[kind], 0.5);
            System.out.printf("refusal timing: %-28s median %7.1f us  p90 %7.1f us  p99 %7.1f us  median - known %+7.1f us%n",
                    kinds.get(kind).name(), median / 1e3, percentile(nanos[kind], 0.9) / 1e3,
                    percentile(nanos[kind], 0.99) / 1e3, (median - reference) / 1e3);
        }
    }

    /** The time from sending a wrong pair to the whole 401, in nanoseconds. */
    private static long refusal(HttpClient client, URI uri, String keyId) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(10))
                .header("X-API-KEY-ID", keyId)
                .header("X-API-KEY-SECRET", token(32))
                .GET()
                .build();
        long start = System.nanoTime();
        HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        long took = System.nanoTime() - start;
        if (response.statusCode() != 401) {
            System.out.println("refusal timing: FAIL, expected 401 and got " + response.statusCode()
                    + " (is the failure limit raised?)");
            System.exit(1);
        }
        return took;
    }

    private static String token(int bytes) {
        byte[] buffer = new byte[bytes];
        RANDOM.nextBytes(buffer);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(buffer);
    }

    private static double percentile(long[] values, double share) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(share * sorted.length) - 1)];
    }
}
