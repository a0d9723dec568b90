package dev.sofy.server.http.wire;

import dev.sofy.api.model.SmsCreateRequest;
import dev.sofy.server.sms.SmsToSend;

/** The spec's request to send an SMS, as the domain takes it. */
public final class SmsRequests {
    private SmsRequests() {}

    /** Absent flags take the spec's defaults: URLs shortened, a marketing SMS; no sendAt means at once. */
    public static SmsToSend toSend(SmsCreateRequest request) {
        return new SmsToSend(request.getFrom(), request.getTo(), request.getBody(),
                !Boolean.FALSE.equals(request.getShortenUrls()), Boolean.TRUE.equals(request.getIsTransactional()),
                request.getSendAt() == null ? null : request.getSendAt().toInstant(), request.getValidityPeriod());
    }
}
