package dev.sofy.server.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The guard on address literals and on hosts whose answers a test resolver gives: nothing here
 * asks DNS or connects anywhere.
 */
final class UrlGuardTest {
    private static final UrlGuard STRICT = new UrlGuard(false, UrlGuardTest::literalOnly);
    private static final UrlGuard ALLOWING_PRIVATE = new UrlGuard(true, UrlGuardTest::literalOnly);

    /** Resolves address literals only, as {@link InetAddress#getAllByName} does with no DNS query. */
    private static InetAddress[] literalOnly(String host) throws UnknownHostException {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (!bare.matches("[0-9a-fA-F:.]+(%[0-9]+)?")) {
            throw new UnknownHostException(host + " is no address literal, and these tests ask no DNS");
        }
        return new InetAddress[] {InetAddress.getByName(bare)};
    }

    private static InetAddress address(String literal) throws UnknownHostException {
        return literalOnly(literal)[0];
    }

    private static InetAddress[] addresses(String... literals) throws UnknownHostException {
        var addresses = new InetAddress[literals.length];
        for (int i = 0; i < literals.length; i++) {
            addresses[i] = address(literals[i]);
        }
        return addresses;
    }

    /** A cloud host's internal endpoint, and loopback embedded in NAT64, 6to4 and IPv4-compatible forms. */
    @ParameterizedTest
    @ValueSource(strings = {"http://168.63.129.16/", "http://[64:ff9b::7f00:1]/", "http://[2002:7f00:1::1]/",
            "http://[::127.0.0.1]/"})
    void aCloudHostsEndpointAndEmbeddedLoopbackAreRefusedEvenWithPrivateNetworksAllowed(String url) {
        assertTrue(ALLOWING_PRIVATE.problemToRegister(url).isPresent(), url);
    }

    /**
     * The first and last address of the blocks that are never allowed, and addresses that embed
     * a refused IPv4 address.
     */
    @ParameterizedTest
    @ValueSource(strings = {
            "0.0.0.0", "0.255.255.255", "169.254.0.0", "169.254.169.254", "169.254.255.255",
            "192.0.0.0", "192.0.0.9", "192.0.0.255", "192.0.2.0", "192.0.2.255", "192.88.99.0", "192.88.99.255",
            "198.18.0.0", "198.19.255.255", "198.51.100.0", "198.51.100.255", "203.0.113.0", "203.0.113.255",
            "224.0.0.0", "239.255.255.255", "240.0.0.0", "255.255.255.254", "255.255.255.255",
            "100.100.100.200", "168.63.129.16",
            "::", "::127.0.0.1", "::8.8.8.8", "::ffff:169.254.169.254", "::ffff:0:0", "::ffff:ffff:ffff",
            "64:ff9b::7f00:1", "64:ff9b::a9fe:a9fe", "64:ff9b::a00:1", "64:ff9b::c0a8:101", "64:ff9b::6464:64c8",
            "64:ff9b:1::", "64:ff9b:1:ffff:ffff:ffff:ffff:ffff",
            "100::", "100::ffff:ffff:ffff:ffff", "100:0:0:1::", "100:0:0:1:ffff:ffff:ffff:ffff",
            "2001::", "2001:0:4136:e378:8000:63bf:3fff:fdd2", "2001:1::1", "2001:1ff:ffff:ffff:ffff:ffff:ffff:ffff",
            "2001:db8::", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff",
            "2002:7f00:1::1", "2002:a9fe:a9fe::", "2002:a00:1::1", "2002:c0a8:101::1",
            "3fff::", "3fff:fff:ffff:ffff:ffff:ffff:ffff:ffff", "5f00::", "5f00:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
            "fe80::", "fe80::1%1", "febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "ff00::", "ff02::1",
            "fd00:ec2::254", "fd00:ec2::23",
            "::2", "1::", "1fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "4000::", "8000::", "e000::"})
    void anAddressThatIsNotGloballyReachableIsNeverAllowed(String literal) throws UnknownHostException {
        Optional<String> problem = ALLOWING_PRIVATE.problemWith(address(literal));

        assertTrue(problem.orElse("").startsWith("resolves to an address that is never allowed"),
                literal + ": " + problem);
    }

    /** Loopback and private networks, first and last address, IPv4-mapped ones as the IPv4 address itself. */
    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.0", "127.0.0.1", "127.255.255.255", "10.0.0.0", "10.255.255.255",
            "172.16.0.0", "172.31.255.255", "192.168.0.0", "192.168.255.255", "100.64.0.0", "100.127.255.255",
            "::1", "fc00::", "fd12:3456::1", "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "fec0::", "feff::",
            "::ffff:127.0.0.1", "::ffff:10.0.0.1", "100.100.100.199", "fd00:ec2::253"})
    void aLoopbackOrPrivateAddressIsRefusedByDefault(String literal) throws UnknownHostException {
        Optional<String> problem = STRICT.problemWith(address(literal));

        assertTrue(problem.orElse("").startsWith("resolves to a loopback or private address"),
                literal + ": " + problem);
    }

    @Test
    void theRefusalOfAPrivateAddressNamesTheSettingThatAllowsIt() throws UnknownHostException {
        Optional<String> problem = STRICT.problemWith(address("192.168.1.10"));

        assertTrue(problem.orElse("").contains("SOFY_WEBHOOKS_ALLOW_PRIVATE=true"), String.valueOf(problem));
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.0", "127.0.0.1", "127.255.255.255", "10.0.0.0", "10.255.255.255",
            "172.16.0.0", "172.31.255.255", "192.168.0.0", "192.168.255.255", "100.64.0.0", "100.127.255.255",
            "::1", "fc00::", "fd12:3456::1", "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "fec0::", "feff::",
            "::ffff:127.0.0.1", "::ffff:10.0.0.1", "100.100.100.199", "fd00:ec2::253"})
    void aLoopbackOrPrivateAddressIsAllowedWhenTheOperatorAllowsThem(String literal) throws UnknownHostException {
        assertEquals(Optional.empty(), ALLOWING_PRIVATE.problemWith(address(literal)), literal);
    }

    /** Public addresses, many just outside a refused block, and embedding forms of public IPv4 addresses. */
    @ParameterizedTest
    @ValueSource(strings = {"1.0.0.1", "9.255.255.255", "11.0.0.0", "100.63.255.255", "100.128.0.0",
            "126.255.255.255", "128.0.0.0", "168.63.129.15", "168.63.129.17",
            "169.253.255.255", "169.255.0.0", "172.15.255.255", "172.32.0.0", "192.0.1.255", "192.0.3.0",
            "192.88.98.255", "192.88.100.0", "192.167.255.255", "192.169.0.0", "198.17.255.255", "198.20.0.0",
            "198.51.99.255", "198.51.101.0", "203.0.112.255", "203.0.114.0", "223.255.255.255",
            "2000::", "2001:200::", "2001:db7:ffff:ffff:ffff:ffff:ffff:ffff", "2001:db9::", "2003::", "2606:4700::1111",
            "2a00:1450:4007:80f::200e", "3ffe:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "3fff:1000::",
            "64:ff9b::808:808", "2002:808:808::1"})
    void aPublicAddressIsAllowedEvenWhenPrivateNetworksAreNot(String literal) throws UnknownHostException {
        assertEquals(Optional.empty(), STRICT.problemWith(address(literal)), literal);
    }

    @Test
    void aUrlIsRefusedAtRegistrationWhenAnyAddressOfItsHostIs() {
        var guard = new UrlGuard(true, host -> addresses("93.184.216.34", "169.254.169.254"));

        assertTrue(guard.problemToRegister("https://mixed.test/events").isPresent());
    }

    @Test
    void aHostIsRefusedWhenAnyOfItsAddressesIs() throws UnknownHostException {
        var guard = new UrlGuard(true, host -> addresses("93.184.216.34", "169.254.169.254"));

        var refused = assertThrows(UrlGuard.RefusedAddressException.class, () -> guard.addressesToCall("mixed.test"));

        assertEquals(address("169.254.169.254"), refused.address());
    }

    @Test
    void theAddressesToCallAreTheOnesTheResolverGaveAndTheGuardChecked() throws Exception {
        var guard = new UrlGuard(false, host -> addresses("93.184.216.34", "2606:2800:220:1::1"));

        assertEquals(List.of(addresses("93.184.216.34", "2606:2800:220:1::1")), guard.addressesToCall("public.test"));
    }

    @Test
    void aUrlWhoseHostDoesNotResolveYetMayBeRegistered() {
        assertEquals(Optional.empty(), STRICT.problemToRegister("https://not-yet.test/events"));
    }

    @Test
    void aUrlWithAUserNameIsRefused() {
        assertEquals(Optional.of("must not carry a user name or password"),
                STRICT.problemWithUrl("https://user:secret@93.184.216.34/events"));
    }

    @Test
    void aUrlOfAnotherSchemeIsRefused() {
        assertEquals(Optional.of("must be an absolute http or https URL"),
                STRICT.problemWithUrl("ftp://93.184.216.34/"));
    }
}
