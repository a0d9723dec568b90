package dev.sofy.server.webhooks;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Keeps webhooks from reaching into the server's own network (SSRF): an endpoint must be an
 * http(s) URL whose host resolves only to public addresses. Loopback and private ranges may be
 * allowed by the operator (for a receiver on the same machine); link-local and cloud-metadata
 * addresses never are. Checked at registration and again before each delivery, since DNS
 * answers change.
 */
public final class UrlGuard {
    /** Metadata services that are not link-local: Alibaba Cloud, AWS over IPv6. */
    private static final Set<String> METADATA = Set.of("100.100.100.200", "fd00:ec2:0:0:0:0:0:254");

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

    private Optional<String> problem(String url, boolean mustResolve) {
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
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(uri.getHost());
        } catch (UnknownHostException e) {
            return mustResolve ? Optional.of("has a host name that does not resolve") : Optional.empty();
        }
        for (InetAddress address : addresses) {
            Optional<String> refused = refused(address);
            if (refused.isPresent()) {
                return refused;
            }
        }
        return Optional.empty();
    }

    private Optional<String> refused(InetAddress address) {
        if (address.isLinkLocalAddress() || METADATA.contains(address.getHostAddress())) {
            return Optional.of("resolves to a link-local or cloud-metadata address, which is never allowed");
        }
        if (address.isAnyLocalAddress() || address.isMulticastAddress()) {
            return Optional.of("resolves to an address that is not a host");
        }
        boolean internal = address.isLoopbackAddress() || address.isSiteLocalAddress() || isCarrierGradeNat(address)
                || isUniqueLocal(address);
        if (internal && !allowPrivate) {
            return Optional.of("resolves to a loopback or private address");
        }
        return Optional.empty();
    }

    private static boolean isCarrierGradeNat(InetAddress address) {
        if (!(address instanceof Inet4Address)) {
            return false;
        }
        byte[] bytes = address.getAddress();
        return (bytes[0] & 0xff) == 100 && (bytes[1] & 0xc0) == 64;
    }

    private static boolean isUniqueLocal(InetAddress address) {
        return address instanceof Inet6Address && (address.getAddress()[0] & 0xfe) == 0xfc;
    }
}
