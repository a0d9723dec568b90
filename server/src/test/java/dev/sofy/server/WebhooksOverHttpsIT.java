package dev.sofy.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.sofy.server.ApiRequests.KeyPair;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Webhooks to HTTPS endpoints. Two endpoints on 127.0.0.1 with self-signed certificates for that
 * address; the server's JVM trusts one of them ({@code -Djavax.net.ssl.trustStore}, as an operator
 * would add an internal CA), not the other. One SMS is sent, and the scenario ends once the
 * trusted endpoint has both of its events; each test checks one thing of its outcome.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
final class WebhooksOverHttpsIT {
    private static final KeyPair KEY = new KeyPair("webhooks-https-key", "webhooks-https-secret-0123456789");
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String PASSWORD = "changeit";

    @TempDir
    static Path directory;

    private Receiver trusted;
    private Receiver untrusted;
    private String smsId;

    @BeforeAll
    void sendAnSmsToBothEndpoints() throws Exception {
        Path trustedKeys = selfSignedKeyStore("trusted");
        Path untrustedKeys = selfSignedKeyStore("untrusted");
        Path trustStore = directory.resolve("truststore.p12");
        Path certificate = directory.resolve("trusted.cer");
        keytool("-exportcert", "-alias", "trusted", "-keystore", trustedKeys.toString(), "-storepass", PASSWORD,
                "-file", certificate.toString());
        keytool("-importcert", "-noprompt", "-alias", "trusted", "-file", certificate.toString(),
                "-keystore", trustStore.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
        trusted = Receiver.start(trustedKeys);
        untrusted = Receiver.start(untrustedKeys);

        Map<String, String> environment = ServerProcess.environment(directory, KEY,
                "SOFY_WEBHOOKS_ALLOW_PRIVATE", "true",
                "SOFY_WEBHOOK_RETRY_DELAYS", "200ms,200ms,200ms,200ms,200ms",
                "JAVA_TOOL_OPTIONS", "-Djavax.net.ssl.trustStore=" + trustStore
                        + " -Djavax.net.ssl.trustStoreType=PKCS12 -Djavax.net.ssl.trustStorePassword=" + PASSWORD);
        try (ServerProcess server = ServerProcess.start(environment, directory.resolve("server.err"))) {
            SmsApi api = new SmsApi(SmsApi.newClient(), server.baseUri(), KEY);
            register(api, trusted);
            register(api, untrusted);
            smsId = api.send("+12025550150", "Webhooks over HTTPS", true).path("id").asText();
            api.awaitFinal(List.of(smsId), TIMEOUT);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (trusted.statuses.size() < 2 && System.nanoTime() - deadline < 0) {
                TimeUnit.MILLISECONDS.sleep(20);
            }
        }
    }

    @AfterAll
    void stopReceivers() {
        if (trusted != null) {
            trusted.stop();
        }
        if (untrusted != null) {
            untrusted.stop();
        }
    }

    @Test
    void anEndpointWithATrustedCertificateGetsEveryStatusEventOverTls() {
        assertEquals(Set.of(smsId + " sent", smsId + " delivered"), new TreeSet<>(trusted.statuses));
    }

    @Test
    void anEndpointWithACertificateTheServerDoesNotTrustIsConnectedToButGetsNoEvent() {
        int connections = untrusted.connections.get();
        int requests = untrusted.requests.get();
        assertTrue(connections > 0 && requests == 0,
                "the untrusted endpoint had " + connections + " connections and " + requests + " requests");
    }

    private static void register(SmsApi api, Receiver receiver) throws IOException, InterruptedException {
        HttpResponse<String> registered = api.post("/v1/webhooks",
                "{\"url\": \"" + receiver.url() + "\", \"events\": [\"sms.status\"]}");
        if (registered.statusCode() != 201) {
            throw new AssertionError("registering " + receiver.url() + " answered " + registered.statusCode() + " "
                    + registered.body());
        }
    }

    /** A PKCS12 key store holding a key pair and a self-signed certificate for 127.0.0.1. */
    private static Path selfSignedKeyStore(String alias) throws IOException, InterruptedException {
        Path keyStore = directory.resolve(alias + ".p12");
        keytool("-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", keyStore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
        return keyStore;
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        var command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(args));
        Path output = Files.createTempFile(directory, "keytool", ".out");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("keytool " + String.join(" ", args) + " failed: " + Files.readString(output));
        }
    }

    /** A webhook endpoint over TLS on 127.0.0.1 that counts connections and notes the events it gets. */
    private static final class Receiver {
        private final HttpsServer server;
        private final ExecutorService executor = Executors.newFixedThreadPool(4);
        /** TLS connections opened, whether or not their handshake succeeds. */
        final AtomicInteger connections = new AtomicInteger();
        final AtomicInteger requests = new AtomicInteger();
        /** {@code <sms id> <status>} of each event received. */
        final Set<String> statuses = ConcurrentHashMap.newKeySet();

        private Receiver(SSLContext tls) throws IOException {
            server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.setHttpsConfigurator(new HttpsConfigurator(tls) {
                @Override
                public void configure(HttpsParameters parameters) {
                    connections.incrementAndGet();
                    super.configure(parameters);
                }
            });
            server.setExecutor(executor);
            server.createContext("/events", this::handle);
        }

        static Receiver start(Path keyStore) throws Exception {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keyStore)) {
                keys.load(in, PASSWORD.toCharArray());
            }
            var keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keys, PASSWORD.toCharArray());
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(keyManagers.getKeyManagers(), null, null);
            var receiver = new Receiver(tls);
            receiver.server.start();
            return receiver;
        }

        String url() {
            return "https://127.0.0.1:" + server.getAddress().getPort() + "/events";
        }

        private void handle(HttpExchange exchange) throws IOException {
            try (exchange; InputStream body = exchange.getRequestBody()) {
                requests.incrementAndGet();
                JsonNode sms = SmsApi.JSON.readTree(body.readAllBytes()).path("data").path("sms");
                statuses.add(sms.path("id").asText() + " " + sms.path("status").asText());
                exchange.sendResponseHeaders(204, -1);
            }
        }

        void stop() {
            server.stop(0);
            executor.shutdownNow();
        }
    }
}
