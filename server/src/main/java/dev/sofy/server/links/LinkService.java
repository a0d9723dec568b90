package dev.sofy.server.links;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.regex.Pattern;

/** Follows short links: the original URL, with the click counted when a recipient opens it. */
public final class LinkService {
    private static final Pattern CODE = Pattern.compile("[A-Za-z0-9]{7,22}");

    private final LinkStore store;
    private final Clock clock;

    public LinkService(LinkStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /**
     * The original URL, the click counted (and its {@code sms.click} events written). URLs are
     * stored in their ASCII form; one stored before that is sent in it too.
     */
    public String follow(String code) {
        Optional<String> url = CODE.matcher(code).matches()
                ? store.click(code, clock.instant().truncatedTo(ChronoUnit.MICROS))
                : Optional.empty();
        return url.map(LinkShortener::asciiForm).orElseThrow(LinkNotFoundException::new);
    }

    /**
     * The original URL, nothing counted: for a HEAD request, which link checkers and previews
     * send, never a recipient opening the link.
     */
    public String peek(String code) {
        Optional<String> url = CODE.matcher(code).matches() ? store.find(code) : Optional.empty();
        return url.map(LinkShortener::asciiForm).orElseThrow(LinkNotFoundException::new);
    }
}
