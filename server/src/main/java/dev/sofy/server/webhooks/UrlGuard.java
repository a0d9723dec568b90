package dev.sofy.server.webhooks;

import dev.sofy.server.webhooks.SpecialPurposeAddresses.Reach;
import dev.sofy.server.webhooks.SpecialPurposeAddresses.Verdict;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Keeps webhooks from reaching into the server's own network (SSRF): an endpoint must be an
 * http(s) URL whose host resolves only to public addresses ({@link SpecialPurposeAddresses}).
 * Loopback and private networks may be allowed by the operator (for a receiver of its own);
 * link-local, cloud-metadata and other special-purpose addresses never are. Checked at
 * registration, and when the sender connects: it connects only to the addresses checked then, so
 * a DNS answer that changes in between reaches nothing.
 */
public final class UrlGuard {
    /** Resolves a host name to its addresses. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** A host resolved to an address that may not be called. */
    public static final class RefusedAddressException extends java.io.IOException {
        private final transient InetAddress address;
        private final String problem;

        RefusedAddressException(String problem, InetAddress address) {
            super(problem + ": " + address.getHostAddress());
            this.problem = problem;
            this.address = address;
        }

        /** What is wrong, as the rest of a sentence about the URL: "resolves to ...". */
        public String problem() {
            return problem;
        }

        public InetAddress address() {
            return address;
        }
    }

    private final boolean allowPrivate;
    private final Resolver resolver;

    public UrlGuard(boolean allowPrivate) {
        this(allowPrivate, InetAddress::getAllByName);
    }

    public UrlGuard(boolean allowPrivate, Resolver resolver) {
        this.allowPrivate = allowPrivate;
        this.resolver = resolver;
    }

    /**
     * Why the URL may not be registered, or empty when it may. A host name that does not
     * resolve yet is accepted: it cannot reach anything now, and is checked again at delivery.
     */
    public Optional<String> problemToRegister(String url) {
        Optional<String> malformed = problemWithUrl(url);
        if (malformed.isPresent()) {
            return malformed;
        }
        try {
            addressesToCall(URI.create(url).getHost());
            return Optional.empty();
        } catch (UnknownHostException e) {
            return Optional.empty();
        } catch (RefusedAddressException e) {
            return Optional.of(e.problem());
        }
    }

    /** Why the URL is no http(s) URL the sender may call, whatever its host resolves to; empty when it is. */
    public Optional<String> problemWithUrl(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return Optional.of("must be an absolute http or https URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || !(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null) {
            return Optional.of("must be an absolute http or https URL");
        }
        if (uri.getRawUserInfo() != null) {
            return Optional.of("must not carry a user name or password");
        }
        return Optional.empty();
    }

    /**
     * The addresses of {@code host} (a name or an address literal, IPv6 in brackets or not), once
     * every one of them was found allowed: connect only to these.
     *
     * @throws RefusedAddressException when any of them may not be called
     */
    public List<InetAddress> addressesToCall(String host) throws UnknownHostException, RefusedAddressException {
        List<InetAddress> addresses = List.of(resolver.resolve(host));
        if (addresses.isEmpty()) {
            throw new UnknownHostException(host);
        }
        for (InetAddress address : addresses) {
            Optional<String> refused = problemWith(address);
            if (refused.isPresent()) {
                throw new RefusedAddressException(refused.get(), address);
            }
        }
        return addresses;
    }

    /** Why the address may not be called, as the rest of a sentence about a URL; empty when it may. */
    public Optional<String> problemWith(InetAddress address) {
        Verdict verdict = SpecialPurposeAddresses.of(address);
        if (verdict.reach() == Reach.NEVER) {
            return Optional.of("resolves to an address that is never allowed (" + verdict.block() + ")");
        }
        if (verdict.reach() == Reach.INTERNAL && !allowPrivate) {
            // The operator of a server for their own receivers needs to know the switch exists.
            return Optional.of("resolves to a loopback or private address (" + verdict.block()
                    + "), allowed only when the server runs with SOFY_WEBHOOKS_ALLOW_PRIVATE=true");
        }
        return Optional.empty();
    }
}
