package dev.sofy.server.links;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.sofy.server.ratelimit.AddressLimitedException;
import dev.sofy.server.ratelimit.AddressLimiter;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows short links: the original URL, with the click counted when a recipient opens it. The
 * redirect needs no key, so each client address may follow a number of links a second, unknown
 * codes included; a lookup writes nothing, and the writer counts a click without the answer
 * waiting for its commit.
 */
public final class LinkService {
    /** Clicks of one link from one address within this window count once. */
    public static final Duration REPEATED_CLICK_WINDOW = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(LinkService.class);
    private static final Pattern CODE = Pattern.compile("[A-Za-z0-9]{7,22}");
    /** Clicks remembered at most: past that the oldest go, and a repeat of one counts again. */
    private static final int MAX_RECENT_CLICKS = 100_000;

    private record RecentClick(String code, String address) {}

    private final LinkStore store;
    private final Clock clock;
    private final AddressLimiter redirects;
    /**
     * In memory, not in the database: a repeated click forgotten at a restart is only a click
     * counted twice, and remembering it durably would cost a write a click.
     */
    private final Cache<RecentClick, Boolean> recentClicks;

    /**
     * @param redirects the links a client address may follow a second
     * @param ticker the time the window of repeated clicks is measured with, such as
     *     {@link Ticker#systemTicker()}
     */
    public LinkService(LinkStore store, Clock clock, AddressLimiter redirects, Ticker ticker) {
        this.store = store;
        this.clock = clock;
        this.redirects = redirects;
        this.recentClicks = Caffeine.newBuilder()
                .expireAfterWrite(REPEATED_CLICK_WINDOW)
                .maximumSize(MAX_RECENT_CLICKS)
                .ticker(ticker)
                .build();
    }

    /**
     * The original URL, the click of the client at {@code address} counted unless it clicked this
     * link within {@link #REPEATED_CLICK_WINDOW}; a client is its address as the limit counts it,
     * an IPv6 address by its /64. The answer does not wait for the click's commit: a redirect is
     * no SMS, and one click lost to a crash costs less than every redirect waiting for a commit.
     * URLs are stored in their ASCII form; one stored before that is sent in it too.
     *
     * @throws AddressLimitedException when the address is over its limit; nothing is read
     */
    public String follow(String code, String address) {
        String url = peek(code, address);
        var click = new RecentClick(code, AddressLimiter.client(address));
        if (recentClicks.asMap().putIfAbsent(click, Boolean.TRUE) == null) {
            CompletableFuture<Void> counted = store.click(code, clock.instant().truncatedTo(ChronoUnit.MICROS));
            counted.whenComplete((committed, failure) -> {
                if (failure != null) {
                    LOG.warn("Could not count a click on short link {}", code, failure);
                }
            });
        }
        return url;
    }

    /**
     * The original URL, nothing counted: for a HEAD request, which link checkers and previews
     * send, never a recipient opening the link. It counts against the address's limit all the
     * same, since it reads the database.
     *
     * @throws AddressLimitedException when the address is over its limit; nothing is read
     */
    public String peek(String code, String address) {
        AddressLimiter.Admission admission = redirects.acquire(address);
        if (!admission.allowed()) {
            throw new AddressLimitedException("This client address is over its limit of " + redirects.perSecond()
                    + " short links a second, after a burst of " + redirects.burst() + ".", admission.retryAfterSeconds());
        }
        if (!CODE.matcher(code).matches()) {
            throw new LinkNotFoundException();
        }
        return store.find(code).map(LinkShortener::asciiForm).orElseThrow(LinkNotFoundException::new);
    }
}
