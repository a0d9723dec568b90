package dev.sofy.server.links;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.regex.Pattern;

/** Follows short links: the original URL, with the click counted. */
public final class LinkService {
    private static final Pattern CODE = Pattern.compile("[A-Za-z0-9]{7,22}");

    private final LinkStore store;
    private final Clock clock;

    public LinkService(LinkStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public String follow(String code) {
        Optional<String> url = CODE.matcher(code).matches()
                ? store.click(code, clock.instant().truncatedTo(ChronoUnit.MICROS))
                : Optional.empty();
        return url.orElseThrow(LinkNotFoundException::new);
    }
}
