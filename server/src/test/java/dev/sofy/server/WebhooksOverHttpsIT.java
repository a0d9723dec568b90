package dev.sofy.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.sofy.testing.KeyPair;
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
 * Webhooks to HTTPS endpoints, each on 127.0.0.1 with a self-signed certificate. Two are named by
 * that address, with certificates for it; the server's JVM trusts one of them
 * ({@code -Djavax.net.ssl.trustStore}, as an operator would add an internal CA), not the other.
 * Two more are named {@code localhost}, which the server resolves to 127.0.0.1 and connects to by
 * that address: it trusts both certificates, one for {@code localhost}, one for another name. One
 * SMS is sent, and the scenario ends once both endpoints with a trusted certificate for their
 * name have both of their events; each test checks one thing of its outcome.
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
    private Receiver trustedByName;
    private Receiver otherName;
    private String smsId;

    @BeforeAll
    void sendAnSmsToBothEndpoints() throws Exception {
        Path trustedKeys = selfSignedKeyStore("trusted", "ip:127.0.0.1");
        Path untrustedKeys = selfSignedKeyStore("untrusted", "ip:127.0.0.1");
        Path byNameKeys = selfSignedKeyStore("by-name", "dns:localhost");
        Path otherNameKeys = selfSignedKeyStore("other-name", "dns:receiver.example");
        Path trustStore = directory.resolve("truststore.p12");
        for (String alias : List.of("trusted", "by-name", "other-name")) {
            Path certificate = directory.resolve(alias + ".cer");
            keytool("-exportcert", "-alias", alias, "-keystore", directory.resolve(alias + ".p12").toString(),
                    "-storepass", PASSWORD, "-file", certificate.toString());
            keytool("-importcert", "-noprompt", "-alias", alias, "-file", certificate.toString(),
                    "-keystore", trustStore.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
        }
        trusted = Receiver.start(trustedKeys, "127.0.0.1");
        untrusted = Receiver.start(untrustedKeys, "127.0.0.1");
        trustedByName = Receiver.start(byNameKeys, "localhost");
        otherName = Receiver.start(otherNameKeys, "localhost");

        Map<String, String> environment = ServerProcess.environment(directory, KEY,
                "SOFY_WEBHOOKS_ALLOW_PRIVATE", "true",
                "SOFY_WEBHOOK_RETRY_DELAYS", "200ms,200ms,200ms,200ms,200ms",
                "JAVA_TOOL_OPTIONS", "-Djavax.net.ssl.trustStore=" + trustStore
                        + " -Djavax.net.ssl.trustStoreType=PKCS12 -Djavax.net.ssl.trustStorePassword=" + PASSWORD);
        try (ServerProcess server = ServerProcess.start(environment, directory.resolve("server.err"))) {
            SmsTestClient api = new SmsTestClient(SmsTestClient.newClient(), server.baseUri(), KEY);
            for (Receiver receiver : List.of(trusted, untrusted, trustedByName, otherName)) {
                register(api, receiver);
            }
            smsId = api.send("+12025550150", "Webhooks over HTTPS", true).path("id").asText();
            api.awaitFinal(List.of(smsId), TIMEOUT);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while ((trusted.statuses.size() < 2 || trustedByName.statuses.size() < 2)
                    && System.nanoTime() - deadline < 0) {
                TimeUnit.MILLISECONDS.sleep(20);
            }
        }
    }

    @AfterAll
    void stopReceivers() {
        for (Receiver receiver : new Receiver[] {trusted, untrusted, trustedByName, otherName}) {
            if (receiver != null) {
                receiver.stop();
            }
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

    @Test
    void anEndpointNamedByHostGetsEveryStatusEventOverTlsWithACertificateForThatName() {
        assertEquals(Set.of(smsId + " sent", smsId + " delivered"), new TreeSet<>(trustedByName.statuses));
    }

    @Test
    void anEndpointWithATrustedCertificateForAnotherNameIsConnectedToButGetsNoEvent() {
        int connections = otherName.connections.get();
        int requests = otherName.requests.get();
        assertTrue(connections > 0 && requests == 0,
                "the endpoint with a certificate for another name had " + connections + " connections and "
                        + requests + " requests");
    }

    private static void register(SmsTestClient api, Receiver receiver) throws IOException, InterruptedException {
        HttpResponse<String> registered = api.post("/v1/webhooks",
                "{\"url\": \"" + receiver.url() + "\", \"events\": [\"sms.status\"]}");
        if (registered.statusCode() != 201) {
            throw new AssertionError("registering " + receiver.url() + " answered " + registered.statusCode() + " "
                    + registered.body());
        }
    }

    /** A PKCS12 key store with a key pair and a self-signed certificate for {@code name}, such as ip:127.0.0.1. */
    private static Path selfSignedKeyStore(String alias, String name) throws IOException, InterruptedException {
        Path keyStore = directory.resolve(alias + ".p12");
        keytool("-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=" + name.substring(name.indexOf(':') + 1), "-ext", "SAN=" + name, "-storetype", "PKCS12",
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

    /**
     * A webhook endpoint over TLS on 127.0.0.1, named {@code host} in its URL, that counts
     * connections and notes the events it gets.
     */
    private static final class Receiver {
        private final HttpsServer server;
        private final String host;
        private final ExecutorService executor = Executors.newFixedThreadPool(4);
        /** TLS connections opened, whether or not their handshake succeeds. */
        final AtomicInteger connections = new AtomicInteger();
        final AtomicInteger requests = new AtomicInteger();
        /** {@code <sms id> <status>} of each event received. */
        final Set<String> statuses = ConcurrentHashMap.newKeySet();

        private Receiver(SSLContext tls, String host) throws IOException {
            this.host = host;
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

        static Receiver start(Path keyStore, String host) throws Exception {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keyStore)) {
                keys.load(in, PASSWORD.toCharArray());
            }
            var keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keys, PASSWORD.toCharArray());
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(keyManagers.getKeyManagers(), null, null);
            var receiver = new Receiver(tls, host);
            receiver.server.start();
            return receiver;
        }

        String url() {
            return "https://" + host + ":" + server.getAddress().getPort() + "/events";
        }

        private void handle(HttpExchange exchange) throws IOException {
            try (exchange; InputStream body = exchange.getRequestBody()) {
                requests.incrementAndGet();
                JsonNode sms = SmsTestClient.JSON.readTree(body.readAllBytes()).path("data").path("sms");
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
