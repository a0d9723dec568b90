package dev.sofy.server.webhooks;

import dev.sofy.server.webhooks.SpecialPurposeAddresses.Reach;
import dev.sofy.server.webhooks.SpecialPurposeAddresses.Verdict;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

/**
 * Keeps webhooks from reaching into the server's own network (SSRF): an endpoint must be an
 * http(s) URL whose host resolves only to public addresses ({@link SpecialPurposeAddresses}).
 * Loopback and private networks may be allowed by the operator (for a receiver of its own);
 * link-local, cloud-metadata and other special-purpose addresses never are. Checked at
 * registration and again before each delivery, since DNS answers change.
 */
public final class UrlGuard {
    /** Resolves a host name to its addresses. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
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
        return problem(url, false);
    }

    /** Why the URL may not be called now, or empty when it may. */
    public Optional<String> problemToCall(String url) {
        return problem(url, true);
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

    private Optional<String> problem(String url, boolean mustResolve) {
        Optional<String> malformed = problemWithUrl(url);
        if (malformed.isPresent()) {
            return malformed;
        }
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(URI.create(url).getHost());
        } catch (UnknownHostException e) {
            return mustResolve ? Optional.of("has a host name that does not resolve") : Optional.empty();
        }
        for (InetAddress address : addresses) {
            Optional<String> refused = problemWith(address);
            if (refused.isPresent()) {
                return refused;
            }
        }
        return Optional.empty();
    }

    /** Why the address may not be called, as the rest of a sentence about a URL; empty when it may. */
    public Optional<String> problemWith(InetAddress address) {
        Verdict verdict = SpecialPurposeAddresses.of(address);
        if (verdict.reach() == Reach.NEVER) {
            return Optional.of("resolves to an address that is never allowed (" + verdict.block() + ")");
        }
        if (verdict.reach() == Reach.INTERNAL && !allowPrivate) {
            return Optional.of("resolves to a loopback or private address (" + verdict.block() + ")");
        }
        return Optional.empty();
    }
}
