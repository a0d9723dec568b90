package dev.sofy.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import dev.sofy.server.account.Account;
import dev.sofy.server.config.Config;
import dev.sofy.server.http.wire.WebhookEvents;
import dev.sofy.server.webhooks.UrlGuard;
import dev.sofy.server.webhooks.WebhookSender;
import dev.sofy.server.webhooks.WebhookService;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sender connects to the addresses the guard checked, not to a second answer for the same
 * name. The endpoint is named {@code localhost}, which the system resolves to 127.0.0.1 from its
 * hosts file; the guard's resolver answers otherwise, as a DNS server that rebinds would. The
 * receiver listens on 127.0.0.2 only, so a request reaches it only through the guard's answer.
 * Nothing leaves the machine: every address connected to is on loopback, and the refused ones
 * are refused before any connection.
 */
final class WebhookSenderAddressTest extends StoreContract {
    private static final Duration PATIENCE = Duration.ofSeconds(10);
    private static final WebhookSender.Settings SETTINGS = new WebhookSender.Settings("node-a", 100, 32,
            Duration.ofMillis(50), Duration.ofSeconds(2), List.of(Duration.ofHours(1)), Duration.ofMinutes(2),
            Duration.ofMillis(20));

    @TempDir
    Path directory;

    private HttpServer receiver;
    /** The Host header of each request the receiver got. */
    private final List<String> hosts = new CopyOnWriteArrayList<>();
    private WebhookSender sender;

    @Override
    protected Config emptyDatabase() throws Exception {
        return ContractDatabases.emptyH2(directory);
    }

    @BeforeEach
    void startTheReceiverOn127002() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 2}), 0), 0);
        receiver.createContext("/events", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                hosts.add(exchange.getRequestHeaders().getFirst("Host"));
                exchange.sendResponseHeaders(204, -1);
            }
        });
        receiver.start();
    }

    @AfterEach
    void stop() {
        if (sender != null) {
            sender.close();
        }
        receiver.stop(0);
    }

    private String url() {
        return "http://localhost:" + receiver.getAddress().getPort() + "/events";
    }

    /** Registers {@link #url()} for account acme with {@code guard}, then starts a sender with the same guard. */
    private void registerAndSend(UrlGuard guard) {
        Instant registered = Instant.now().minusSeconds(60);
        new WebhookService(webhooks, guard, Clock.fixed(registered, ZoneOffset.UTC))
                .register(new Account(accountId, "acme"), url(), List.of("sms.status"));
        sent(registered.plusSeconds(30));
        sender = new WebhookSender(webhooks, guard, Clock.systemUTC(), new WebhookEvents(() -> "http://127.0.0.1"), SETTINGS,
                () -> false);
        sender.start();
    }

    /** A resolver that answers with {@code answers}' next address on each call, the last one from then on. */
    private static UrlGuard.Resolver answering(String... answers) {
        var calls = new AtomicInteger();
        return host -> new InetAddress[] {
                InetAddress.getByName(answers[Math.min(calls.getAndIncrement(), answers.length - 1)])};
    }

    private static <T> T within(Duration patience, Supplier<Optional<T>> poll) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        Optional<T> value = poll.get();
        while (value.isEmpty() && System.nanoTime() - deadline < 0) {
            Thread.sleep(20);
            value = poll.get();
        }
        return value.orElseThrow(() -> new AssertionError("nothing within " + patience));
    }

    private Optional<String> lastError() {
        return database.jdbi().withHandle(handle -> handle.createQuery(
                        "SELECT last_error FROM webhook_delivery WHERE attempts > 0")
                .mapTo(String.class).findOne());
    }

    @Test
    void theSenderConnectsToTheAddressTheGuardCheckedNotToWhatTheNameResolvesToAgain() throws InterruptedException {
        registerAndSend(new UrlGuard(true, answering("127.0.0.2")));

        assertEquals(1, within(PATIENCE, () -> hosts.isEmpty() ? Optional.empty() : Optional.of(hosts.size())));
    }

    @Test
    void theRequestToTheCheckedAddressNamesTheHostOfTheUrl() throws InterruptedException {
        registerAndSend(new UrlGuard(true, answering("127.0.0.2")));

        assertEquals("localhost:" + receiver.getAddress().getPort(),
                within(PATIENCE, () -> hosts.stream().findFirst()));
    }

    @Test
    void aNameThatRebindsToARefusedAddressAfterRegistrationIsRefusedWhenTheSenderConnects()
            throws InterruptedException {
        registerAndSend(new UrlGuard(true, answering("127.0.0.2", "169.254.169.254")));

        assertEquals("refused: the URL resolves to an address that is never allowed "
                        + "(link-local, where most clouds serve instance metadata) (169.254.169.254)",
                within(PATIENCE, this::lastError));
    }
}
