package dev.sofy.conformance;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sofy.server.delivery.smpp.SmscSimulator;
import dev.sofy.testing.KeyPair;
import java.net.URI;

/**
 * What a test knows of the server: its base URL, its keys, and two ways to talk to it (raw HTTP
 * and the generated client), both checked against the spec on every exchange.
 */
final class ServerUnderTest implements AutoCloseable {
    private final Target target;
    private final SpecValidator spec;
    private final RawRequestSender http;

    private ServerUnderTest(Target target, SpecValidator spec) {
        this.target = target;
        this.spec = spec;
        this.http = new RawRequestSender(target.baseUri(), spec);
    }

    static ServerUnderTest start(SpecValidator spec) {
        return new ServerUnderTest(Target.fromEnvironment(System.getenv()), spec);
    }

    /**
     * Raw HTTP to the management listener, each exchange held against {@code openapi/management.yaml};
     * the test is skipped when the target names no management listener ({@code SOFY_MANAGEMENT_URL}).
     */
    RawRequestSender management() {
        assumeTrue(target.managementUri().isPresent(),
                "needs the management listener: set SOFY_MANAGEMENT_URL to test a remote server's");
        return new RawRequestSender(target.managementUri().get(), SpecValidator.fromManagementBuild());
    }

    /** Sends a request as raw HTTP; the exchange is checked as {@code check} says before it is returned. */
    Exchange send(RawRequest request, SpecCheck check) {
        return http.send(request, check);
    }

    /**
     * Sends a request as raw HTTP without checking it yet, for a test that must send quickly; the
     * test checks the exchange with {@link #assertConforms} afterwards.
     */
    Exchange sendUnchecked(RawRequest request) {
        return http.exchange(request);
    }

    /** The server's base URL, without a trailing slash. */
    URI baseUri() {
        return target.baseUri();
    }

    /**
     * Skips the test unless the server runs with the suite's settings ({@link Target#SUITE_SETTINGS}:
     * webhook receivers on 127.0.0.1, fast retries, a short validity): in-process, or a remote
     * server started with them and named with {@code SOFY_SUITE_SETTINGS=true}.
     */
    void assumeSuiteSettings() {
        assumeTrue(target.hasSuiteSettings(), "needs a server with the suite's settings (Target.SUITE_SETTINGS):"
                + " run in-process, or start the server with them and set SOFY_SUITE_SETTINGS=true");
    }

    /** The in-process server's SMSC simulator, to play handsets; the test is skipped against a remote server. */
    SmscSimulator simulator() {
        var simulator = target.simulator();
        assumeTrue(simulator.isPresent(), "the SMSC simulator can only be driven in-process");
        return simulator.get();
    }

    /** Whether the server runs in this JVM, with the default settings but for {@link Target#SUITE_SETTINGS}. */
    boolean inProcess() {
        return target.inProcess();
    }

    /** The key of the account the tests act as. */
    KeyPair key() {
        return target.key();
    }

    /** A key of another account; the test is skipped when the target has none. */
    KeyPair otherAccountKey() {
        assumeTrue(target.otherAccountKey().isPresent(),
                "no key of a second account: set SOFY_OTHER_API_KEY_ID and SOFY_OTHER_API_KEY_SECRET");
        return target.otherAccountKey().get();
    }

    /** A fresh key limited to {@code perSecond} requests a second; the test is skipped against a remote server. */
    KeyPair limitedKey(int perSecond) {
        var key = target.newLimitedKey(perSecond);
        assumeTrue(key.isPresent(), "keys with a chosen limit can only be made on an in-process server");
        return key.get();
    }

    /** A key of a new, empty account, so that a test sees only its own SMS; skipped against a remote server. */
    KeyPair freshAccountKey() {
        return limitedKey(100_000);
    }

    /**
     * A fresh key limited to {@code perSecond} SMS sent a second, reading at the server's default
     * limit; the test is skipped against a remote server.
     */
    KeyPair sendLimitedKey(int perSecond) {
        var key = target.newSendLimitedKey(perSecond);
        assumeTrue(key.isPresent(), "keys with a chosen limit can only be made on an in-process server");
        return key.get();
    }

    /** The generated client with a key pair; each of its exchanges is checked, request and response. */
    GeneratedClient client(KeyPair key) {
        return GeneratedClient.over(target.baseUri(), key, spec);
    }

    /** The generated client with a key pair; its exchanges are recorded, for the test to check with {@link #assertConforms}. */
    GeneratedClient recordingClient(KeyPair key) {
        return GeneratedClient.recordingOnly(target.baseUri(), key);
    }

    /** Checks an exchange recorded earlier against the spec, request and response. */
    void assertConforms(Exchange exchange) {
        spec.assertConforms(exchange, SpecCheck.requestAndResponse());
    }

    @Override
    public void close() throws Exception {
        target.close();
    }

    @Override
    public String toString() {
        return target.toString();
    }
}
