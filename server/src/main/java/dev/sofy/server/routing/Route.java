package dev.sofy.server.routing;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A route: the SMS it matches and the carriers that may take them, in order of preference. Each
 * condition left empty matches every SMS; a route with none is a default route.
 *
 * @param prefixes leading digits of the recipient's international number (without {@code +})
 * @param accounts names of accounts
 * @param senders exact senders ({@code from})
 */
public record Route(List<String> prefixes, Set<String> accounts, Set<String> senders, List<String> carriers) {
    public Route {
        prefixes = List.copyOf(prefixes);
        accounts = Set.copyOf(accounts);
        senders = Set.copyOf(senders);
        carriers = List.copyOf(carriers);
        if (carriers.isEmpty()) {
            throw new IllegalArgumentException("a route names at least one carrier");
        }
    }

    /** A default route to these carriers. */
    public static Route toCarriers(List<String> carriers) {
        return new Route(List.of(), Set.of(), Set.of(), carriers);
    }

    /** Whether the route matches every SMS. */
    public boolean isDefault() {
        return prefixes.isEmpty() && accounts.isEmpty() && senders.isEmpty();
    }

    public boolean matches(String account, String from, String to) {
        Objects.requireNonNull(to, "to");
        return (prefixes.isEmpty() || prefixes.stream().anyMatch(to::startsWith))
                && (accounts.isEmpty() || accounts.contains(account))
                && (senders.isEmpty() || senders.contains(from));
    }
}
