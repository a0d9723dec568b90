package dev.sofy.server.marketing;

import java.time.Instant;

/** A number on an account's opt-out list: no more marketing SMS to it from that account. */
public record OptOut(long accountId, String number, Source source, Instant createdAt) {

    /** How the number came on the list. */
    public enum Source {
        API("api"),
        SMS_REPLY("sms-reply");

        private final String wireName;

        Source(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        public static Source fromWireName(String wireName) {
            return wireName.equals(SMS_REPLY.wireName) ? SMS_REPLY : API;
        }
    }
}
