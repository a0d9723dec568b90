package dev.sofy.server.webhooks;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The address blocks a webhook must not reach: those of the IANA IPv4 and IPv6 Special-Purpose
 * Address Registries that are not globally reachable, IPv6 outside global unicast, and cloud
 * services that sit at ordinary-looking addresses. Loopback and private networks are internal: an
 * operator may allow those for receivers of its own. Addresses that embed an IPv4 address are
 * judged by it. The most specific block holding an address decides; an address in none is public.
 */
final class SpecialPurposeAddresses {
    /** Whether an address may be called. */
    enum Reach {
        PUBLIC,
        /** Loopback and private networks: only when the operator allows them. */
        INTERNAL,
        NEVER
    }

    /** The reach of an address and the name of the block that decided it (empty when public). */
    record Verdict(Reach reach, String block) {
        static final Verdict PUBLIC = new Verdict(Reach.PUBLIC, "");
    }

    private enum Rule {
        INTERNAL,
        NEVER,
        /** IPv4-mapped: the socket goes to the IPv4 address itself, so it is judged as that one. */
        AS_EMBEDDED_IPV4,
        /** NAT64, 6to4: reach the IPv4 address through a translator or relay; only a public one is allowed. */
        IF_EMBEDDED_IPV4_IS_PUBLIC
    }

    private static final String NOT_GLOBAL_UNICAST = "outside IPv6 global unicast (2000::/3)";
    private static final String DOCUMENTATION = "documentation";
    private static final String PRIVATE_USE = "private-use";

    /** Most specific first. */
    private static final List<Block> BLOCKS = sorted(List.of(
            // IPv4 Special-Purpose Address Registry: the blocks not globally reachable.
            never("0.0.0.0/8", "this network"),
            internal("10.0.0.0/8", PRIVATE_USE),
            internal("100.64.0.0/10", "shared address space (carrier-grade NAT)"),
            internal("127.0.0.0/8", "loopback"),
            never("169.254.0.0/16", "link-local, where most clouds serve instance metadata"),
            internal("172.16.0.0/12", PRIVATE_USE),
            // Its few globally reachable anycast addresses (PCP, TURN) are no webhook receivers either.
            never("192.0.0.0/24", "IETF protocol assignments"),
            never("192.0.2.0/24", DOCUMENTATION),
            never("192.88.99.0/24", "deprecated 6to4 relay anycast"),
            internal("192.168.0.0/16", PRIVATE_USE),
            never("198.18.0.0/15", "benchmarking"),
            never("198.51.100.0/24", DOCUMENTATION),
            never("203.0.113.0/24", DOCUMENTATION),
            never("240.0.0.0/4", "reserved"),
            never("255.255.255.255/32", "limited broadcast"),
            // Multicast Address Space Registry.
            never("224.0.0.0/4", "multicast"),
            // Cloud services outside link-local.
            never("100.100.100.200/32", "cloud metadata service (Alibaba Cloud)"),
            never("168.63.129.16/32", "cloud host service (Azure WireServer)"),

            // IPv6 Special-Purpose Address Registry: the blocks not globally reachable.
            never("::/128", "unspecified"),
            internal("::1/128", "loopback"),
            embedding("::ffff:0:0/96", Rule.AS_EMBEDDED_IPV4, 12, "IPv4-mapped"),
            never("::/96", "IPv4-compatible (deprecated)"),
            embedding("64:ff9b::/96", Rule.IF_EMBEDDED_IPV4_IS_PUBLIC, 12, "NAT64"),
            never("64:ff9b:1::/48", "local-use NAT64"),
            never("100::/64", "discard-only"),
            never("100:0:0:1::/64", "dummy prefix"),
            // Teredo (2001::/32) included, and the few globally reachable anycast blocks inside.
            never("2001::/23", "IETF protocol assignments"),
            never("2001:db8::/32", DOCUMENTATION),
            embedding("2002::/16", Rule.IF_EMBEDDED_IPV4_IS_PUBLIC, 2, "6to4"),
            never("3fff::/20", DOCUMENTATION),
            never("5f00::/16", "SRv6 segment identifiers"),
            internal("fc00::/7", "unique local"),
            never("fe80::/10", "link-local"),
            // Deprecated, but Java counts it private like fc00::/7, and an operator's network may still use it.
            internal("fec0::/10", "site-local (deprecated)"),
            // IPv6 Address Space Registry: multicast, and everything outside global unicast.
            never("ff00::/8", "multicast"),
            never("::/3", NOT_GLOBAL_UNICAST),
            never("4000::/2", NOT_GLOBAL_UNICAST),
            never("8000::/1", NOT_GLOBAL_UNICAST),
            // Cloud services inside unique local addresses (AWS: instance metadata, EKS Pod Identity).
            never("fd00:ec2::254/128", "cloud metadata service (AWS)"),
            never("fd00:ec2::23/128", "cloud credentials service (AWS EKS Pod Identity)")));

    private SpecialPurposeAddresses() {
    }

    static Verdict of(InetAddress address) {
        return of(address.getAddress());
    }

    private static Verdict of(byte[] address) {
        for (Block block : BLOCKS) {
            if (block.holds(address)) {
                return block.verdict(address);
            }
        }
        return Verdict.PUBLIC;
    }

    private record Block(byte[] prefix, int length, Rule rule, int embeddedAt, String name) {
        boolean holds(byte[] address) {
            if (address.length != prefix.length) {
                return false;
            }
            int whole = length / 8;
            for (int i = 0; i < whole; i++) {
                if (address[i] != prefix[i]) {
                    return false;
                }
            }
            int rest = length % 8;
            int mask = (0xff << (8 - rest)) & 0xff;
            return rest == 0 || (address[whole] & mask) == (prefix[whole] & mask);
        }

        Verdict verdict(byte[] address) {
            return switch (rule) {
                case INTERNAL -> new Verdict(Reach.INTERNAL, name);
                case NEVER -> new Verdict(Reach.NEVER, name);
                case AS_EMBEDDED_IPV4 -> of(embedded(address));
                case IF_EMBEDDED_IPV4_IS_PUBLIC -> {
                    Verdict embedded = of(embedded(address));
                    yield embedded.reach() == Reach.PUBLIC ? Verdict.PUBLIC
                            : new Verdict(Reach.NEVER, name + " of " + embedded.block());
                }
            };
        }

        private byte[] embedded(byte[] address) {
            return Arrays.copyOfRange(address, embeddedAt, embeddedAt + 4);
        }
    }

    private static Block internal(String cidr, String name) {
        return block(cidr, Rule.INTERNAL, -1, name);
    }

    private static Block never(String cidr, String name) {
        return block(cidr, Rule.NEVER, -1, name);
    }

    private static Block embedding(String cidr, Rule rule, int embeddedAt, String name) {
        return block(cidr, rule, embeddedAt, name);
    }

    private static Block block(String cidr, Rule rule, int embeddedAt, String name) {
        int slash = cidr.indexOf('/');
        return new Block(literal(cidr.substring(0, slash)), Integer.parseInt(cidr.substring(slash + 1)), rule,
                embeddedAt, name);
    }

    /** The bytes of an address literal; an IPv6 literal stays 16 bytes even when Java reads it as IPv4-mapped. */
    private static byte[] literal(String text) {
        if (!text.matches("[0-9a-fA-F:.]+")) {
            throw new IllegalArgumentException("not an address literal: " + text);
        }
        try {
            byte[] bytes = InetAddress.getByName(text).getAddress();
            if (bytes.length == 4 && text.contains(":")) {
                byte[] mapped = new byte[16];
                mapped[10] = (byte) 0xff;
                mapped[11] = (byte) 0xff;
                System.arraycopy(bytes, 0, mapped, 12, 4);
                return mapped;
            }
            return bytes;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an address literal: " + text, e);
        }
    }

    private static List<Block> sorted(List<Block> blocks) {
        return blocks.stream().sorted(Comparator.comparingInt(Block::length).reversed()).toList();
    }
}
