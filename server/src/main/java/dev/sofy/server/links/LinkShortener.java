package dev.sofy.server.links;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces each http(s) URL of a text with {@code <public base URL>/r/<code>}, when that link is
 * shorter than the URL: shortening never makes a message longer. Codes come from a supplier, and
 * the caller stores the returned {@link ShortLink}s so that the redirect can find them.
 *
 * <p>Lengths are compared in Java characters. The base URL is limited to characters of the GSM
 * 7-bit basic set and codes to base62 and {@code -_}, so a link costs one septet or one UCS-2 unit
 * per character, while a URL costs at least that: the comparison holds in either SMS encoding.
 *
 * <p>A link stands for the URL's ASCII form ({@link #asciiForm}), which is what the redirect sends
 * in {@code Location}: an HTTP header carries no more than ASCII reliably.
 */
public final class LinkShortener {
    /**
     * A conservative URL: the scheme, a host name of dotted labels ending in a letter-led top-level
     * domain, or an IPv4 address, an optional port, then an optional path, query or fragment up to
     * white space (Unicode's, such as U+00A0 and U+2028, too), a control character (C0, DEL or C1
     * such as U+0085), a lone surrogate, an angle bracket or a double quote. A host glued to more
     * letters, digits, {@code _}, {@code @}, or a dot and a letter, is no URL. User info, IPv6 hosts
     * and internationalised host names are left alone.
     */
    private static final Pattern URL = Pattern.compile(
            "(?<![\\p{L}\\p{N}_])https?://"
                    + "(?:(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]"
                    + "|[0-9]{1,3}(?:\\.[0-9]{1,3}){3})"
                    + "(?::[0-9]{1,5})?"
                    + "(?![\\p{L}\\p{N}_@-]|\\.[\\p{L}\\p{N}_-])"
                    + "(?:[/?#][^\\p{IsWhite_Space}\\p{Cc}\\p{Cs}<>\"]*)?",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern BASE_URL =
            Pattern.compile("https?://[A-Za-z0-9.-]+(?::[0-9]{1,5})?(?:/[A-Za-z0-9._/-]*)?", Pattern.CASE_INSENSITIVE);
    private static final Pattern CODE = Pattern.compile("[A-Za-z0-9_-]+");
    /**
     * The longest URL a link stands for, in its ASCII form: what the database column and the spec's
     * {@code Location} hold. Percent-encoding can make a URL of the body up to nine times longer.
     */
    static final int MAX_URL_LENGTH = 2_000;
    /** Characters that end a sentence or a clause more often than a URL. */
    private static final String TRAILING_PUNCTUATION = ".,;:!?'";
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private final String linkPrefix;
    private final Supplier<String> codes;

    /**
     * @param publicBaseUrl where the redirect endpoint is reachable, such as {@code https://s.example};
     *     a trailing slash is dropped
     * @param codes new, unguessable codes, such as {@link ShortCodes}
     */
    public LinkShortener(String publicBaseUrl, Supplier<String> codes) {
        Objects.requireNonNull(publicBaseUrl, "publicBaseUrl");
        if (!BASE_URL.matcher(publicBaseUrl).matches()) {
            throw new IllegalArgumentException("the public base URL must be an http(s) URL of letters, digits and"
                    + " . - _ /, not '" + publicBaseUrl + "'");
        }
        String base = publicBaseUrl.endsWith("/")
                ? publicBaseUrl.substring(0, publicBaseUrl.length() - 1)
                : publicBaseUrl;
        this.linkPrefix = base + "/r/";
        this.codes = Objects.requireNonNull(codes, "codes");
    }

    /** The link that stands for {@code code}. */
    public String linkFor(String code) {
        return linkPrefix + code;
    }

    /**
     * {@code text} with each URL that is longer than its short link replaced by the link. A URL
     * appearing several times gets one code. A URL whose ASCII form is longer than
     * {@value #MAX_URL_LENGTH} characters stays as it is.
     */
    public ShortenedText shorten(String text) {
        Objects.requireNonNull(text, "text");
        Map<String, ShortLink> linksByUrl = new LinkedHashMap<>();
        var rewritten = new StringBuilder(text.length());
        Matcher matcher = URL.matcher(text);
        int copiedUpTo = 0;
        while (matcher.find()) {
            String url = withoutTrailingPunctuation(matcher.group());
            rewritten.append(text, copiedUpTo, matcher.start());
            copiedUpTo = matcher.start() + url.length();
            ShortLink link = linksByUrl.get(url);
            if (link == null) {
                String code = nextCode();
                String ascii = asciiForm(url);
                if (linkFor(code).length() < url.length() && ascii.length() <= MAX_URL_LENGTH) {
                    link = new ShortLink(code, ascii);
                    linksByUrl.put(url, link);
                }
            }
            rewritten.append(link == null ? url : linkFor(link.code()));
        }
        rewritten.append(text, copiedUpTo, text.length());
        return new ShortenedText(rewritten.toString(), List.copyOf(linksByUrl.values()));
    }

    /**
     * The URL with every character outside printable ASCII percent-encoded as its UTF-8 bytes, as
     * browsers do; what is ASCII already, {@code %xx} escapes included, stays as it is.
     */
    static String asciiForm(String url) {
        var ascii = new StringBuilder(url.length());
        url.codePoints().forEach(codePoint -> {
            if (codePoint > ' ' && codePoint < 0x7F) {
                ascii.append((char) codePoint);
            } else {
                for (byte b : new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8)) {
                    ascii.append('%').append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
                }
            }
        });
        return ascii.toString();
    }

    private String nextCode() {
        String code = codes.get();
        if (code == null || !CODE.matcher(code).matches()) {
            throw new IllegalStateException("short codes must be letters, digits, - or _, not '" + code + "'");
        }
        return code;
    }

    /**
     * The URL without the punctuation that closes the sentence around it: trailing {@code .,;:!?'},
     * and closing brackets that open nowhere in the URL, so that a Wikipedia-style
     * {@code /Foo_(bar)} keeps its bracket and {@code (see https://a.fr/x)} loses it.
     */
    private static String withoutTrailingPunctuation(String url) {
        int end = url.length();
        while (end > 0) {
            char last = url.charAt(end - 1);
            if (TRAILING_PUNCTUATION.indexOf(last) >= 0
                    || last == ')' && isUnbalanced(url, end, '(', ')')
                    || last == ']' && isUnbalanced(url, end, '[', ']')
                    || last == '}' && isUnbalanced(url, end, '{', '}')) {
                end--;
            } else {
                break;
            }
        }
        return url.substring(0, end);
    }

    private static boolean isUnbalanced(String url, int end, char open, char close) {
        int depth = 0;
        for (int i = 0; i < end; i++) {
            char c = url.charAt(i);
            if (c == open) {
                depth++;
            } else if (c == close) {
                depth--;
            }
        }
        return depth < 0;
    }
}
