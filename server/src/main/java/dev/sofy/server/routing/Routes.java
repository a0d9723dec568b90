package dev.sofy.server.routing;

import java.util.List;

/** The routes, in order: the first that matches an SMS gives its carriers. One of them matches every SMS. */
public record Routes(List<Route> routes) {
    public Routes {
        routes = List.copyOf(routes);
        if (routes.stream().noneMatch(Route::isDefault)) {
            throw new IllegalArgumentException("missing default route: one route must have no prefixes, accounts"
                    + " or senders, so that every SMS has a carrier");
        }
    }

    /** Every SMS to one carrier. */
    public static Routes toOne(String carrier) {
        return new Routes(List.of(Route.toCarriers(List.of(carrier))));
    }

    /** The carriers that may take an SMS of {@code account} from {@code from} to {@code to}, by preference. */
    public List<String> carriersFor(String account, String from, String to) {
        for (Route route : routes) {
            if (route.matches(account, from, to)) {
                return route.carriers();
            }
        }
        throw new IllegalStateException("no default route");
    }
}
