package dev.sofy.server.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RoutesTest {
    private static final Routes ROUTES = new Routes(List.of(
            new Route(List.of(), Set.of("acme"), Set.of(), List.of("acme-smsc")),
            new Route(List.of(), Set.of(), Set.of("BANK"), List.of("secure")),
            new Route(List.of("33", "590"), Set.of(), Set.of(), List.of("mainland", "fallback")),
            new Route(List.of("44"), Set.of("globex"), Set.of("GLOBEX"), List.of("uk")),
            Route.toCarriers(List.of("fallback"))));

    @Test
    void aRecipientGoesByTheFirstPrefixThatStartsItsNumber() {
        assertEquals(List.of("mainland", "fallback"), ROUTES.carriersFor("globex", "SHOP", "590690123456"));
    }

    @Test
    void aNumberNoPrefixMatchesTakesTheDefaultRoute() {
        assertEquals(List.of("fallback"), ROUTES.carriersFor("globex", "SHOP", "4915112345678"));
    }

    @Test
    void anAccountRouteTakesEveryNumberOfThatAccount() {
        assertEquals(List.of("acme-smsc"), ROUTES.carriersFor("acme", "SHOP", "33612345678"));
    }

    @Test
    void aSenderRouteTakesThatExactSender() {
        assertEquals(List.of("secure"), ROUTES.carriersFor("globex", "BANK", "33612345678"));
    }

    @Test
    void aSenderRouteIgnoresOtherSpellingsOfTheSender() {
        assertEquals(List.of("mainland", "fallback"), ROUTES.carriersFor("globex", "Bank", "33612345678"));
    }

    @Test
    void aRouteWithSeveralConditionsNeedsThemAll() {
        assertEquals(List.of("uk"), ROUTES.carriersFor("globex", "GLOBEX", "447700900123"));
        assertEquals(List.of("fallback"), ROUTES.carriersFor("initech", "GLOBEX", "447700900123"));
    }

    @Test
    void routesWithoutADefaultRouteCannotBeMade() {
        var onlyFrance = List.of(new Route(List.of("33"), Set.of(), Set.of(), List.of("mainland")));
        assertThrows(IllegalArgumentException.class, () -> new Routes(onlyFrance));
    }
}
