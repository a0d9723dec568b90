package dev.sofy.server.sms;

/** How the text of an SMS travels: the GSM 03.38 default alphabet in 7-bit septets, or UCS-2. */
public enum Encoding {
    GSM7("GSM-7"),
    UCS2("UCS-2");

    private final String wireName;

    Encoding(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Encoding fromWireName(String wireName) {
        for (Encoding encoding : values()) {
            if (encoding.wireName.equals(wireName)) {
                return encoding;
            }
        }
        throw new IllegalArgumentException("no encoding is called '" + wireName + "'");
    }
}
