package dev.sofy.server.http.wire;

import dev.sofy.api.model.Encoding;
import dev.sofy.api.model.Sms;
import dev.sofy.api.model.SmsLink;
import dev.sofy.api.model.SmsStatus;
import dev.sofy.server.sms.Message;
import java.time.ZoneOffset;
import java.util.List;

/** The SMS resource of the spec, as HTTP answers and webhook events show it. */
public final class SmsResources {
    private SmsResources() {}

    /** A short link and its clicks, for the resource. */
    public record Link(String url, String shortUrl, long clicks) {}

    public static Sms of(Message message, List<Link> links) {
        var sms = new Sms()
                .shortenUrls(message.shortenUrls())
                .isTransactional(message.transactional())
                .from(message.from())
                .to(message.to())
                .body(message.body())
                .id(message.id())
                .status(SmsStatus.fromValue(message.status().wireName()))
                .statusReason(message.statusReason())
                .createdAt(message.createdAt().atOffset(ZoneOffset.UTC))
                .statusUpdatedAt(message.updatedAt().atOffset(ZoneOffset.UTC))
                .segments(message.segments())
                .encoding(Encoding.fromValue(message.encoding()))
                .carrier(message.carrier())
                .heldUntil(message.heldUntil() == null ? null : message.heldUntil().atOffset(ZoneOffset.UTC))
                .sendAt(message.sendAt() == null ? null : message.sendAt().atOffset(ZoneOffset.UTC));
        // Absent rather than empty: the seed's answer has no links.
        sms.setLinks(links.isEmpty() ? null : links.stream().map(SmsResources::link).toList());
        return sms;
    }

    public static SmsLink link(Link link) {
        return new SmsLink().url(link.url()).shortUrl(link.shortUrl()).clicks(link.clicks());
    }
}
