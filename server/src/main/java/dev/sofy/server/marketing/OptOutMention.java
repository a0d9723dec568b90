package dev.sofy.server.marketing;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The free opt-out mention French marketing SMS must carry, {@code STOP au <short code>}: finding
 * one in a body, and appending one when there is none. Mainland and overseas numbers have their
 * own short codes, {@code 36229} and {@code 36789} by default: those that clients of Sofy write
 * themselves, so that an SMS carries the same mention whether its client or the server added it.
 */
public final class OptOutMention {
    public static final String DEFAULT_MAINLAND_SHORT_CODE = "36229";
    public static final String DEFAULT_OVERSEAS_SHORT_CODE = "36789";

    /**
     * French SMS short codes have five digits, and so must ours: the mention we append has to be
     * found by {@link #MENTION} again, or a message passing twice would get two.
     */
    private static final Pattern SHORT_CODE = Pattern.compile("[0-9]{5}");
    /**
     * STOP as a word, then optionally "SMS", "au" or "à", ":" and spaces (no-break ones too), then
     * a five-digit code: "STOP au 36789", "Stop SMS au 36111", "STOP 36789", "stop:36789". Any
     * short code counts, as a sender may run its own; "STOP" alone does not, as it says nowhere to
     * send it.
     */
    private static final Pattern MENTION = Pattern.compile(
            "(?<![\\p{L}\\p{N}])STOP[\\s\\u00A0]*(?:SMS(?![\\p{L}\\p{N}])[\\s\\u00A0]*)?"
                    + "(?:(?:au|à)[\\s\\u00A0]*)?:?[\\s\\u00A0]*[0-9]{5}(?![0-9])",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);

    private final String mainlandShortCode;
    private final String overseasShortCode;

    public OptOutMention(String mainlandShortCode, String overseasShortCode) {
        this.mainlandShortCode = requireShortCode(mainlandShortCode, "mainland");
        this.overseasShortCode = requireShortCode(overseasShortCode, "overseas");
    }

    public static OptOutMention defaults() {
        return new OptOutMention(DEFAULT_MAINLAND_SHORT_CODE, DEFAULT_OVERSEAS_SHORT_CODE);
    }

    public String mainlandShortCode() {
        return mainlandShortCode;
    }

    public String overseasShortCode() {
        return overseasShortCode;
    }

    /** Whether {@code body} already carries an opt-out mention with a short code. */
    public static boolean isPresentIn(String body) {
        return MENTION.matcher(body).find();
    }

    /** The mention for a recipient in mainland France ({@code overseas} false) or overseas. */
    public String mention(boolean overseas) {
        return "STOP au " + (overseas ? overseasShortCode : mainlandShortCode);
    }

    /**
     * {@code body} with the mention appended when it has none. The separator is a space: it costs
     * one character like a newline would, keeps the text as the recipient's phone lays it out, and
     * is what other providers write. A body that already ends with a space or a line break gets no
     * separator.
     */
    public String appendIfMissing(String body, boolean overseas) {
        Objects.requireNonNull(body, "body");
        if (isPresentIn(body)) {
            return body;
        }
        boolean needsSeparator = !body.isEmpty() && !Character.isWhitespace(body.charAt(body.length() - 1));
        return body + (needsSeparator ? " " : "") + mention(overseas);
    }

    private static String requireShortCode(String shortCode, String which) {
        if (shortCode == null || !SHORT_CODE.matcher(shortCode).matches()) {
            throw new IllegalArgumentException("the " + which + " opt-out short code must be five digits, not '"
                    + shortCode + "'");
        }
        return shortCode;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof OptOutMention that
                && mainlandShortCode.equals(that.mainlandShortCode)
                && overseasShortCode.equals(that.overseasShortCode);
    }

    @Override
    public int hashCode() {
        return Objects.hash(mainlandShortCode, overseasShortCode);
    }

    @Override
    public String toString() {
        return "OptOutMention[mainland=" + mainlandShortCode + ", overseas=" + overseasShortCode + "]";
    }
}
