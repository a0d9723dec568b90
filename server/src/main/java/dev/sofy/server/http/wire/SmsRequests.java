package dev.sofy.server.http.wire;

import dev.sofy.api.model.SmsBatchRequest;
import dev.sofy.api.model.SmsCreateRequest;
import dev.sofy.server.sms.SmsToSend;
import java.util.ArrayList;
import java.util.List;

/** The spec's request to send an SMS, as the domain takes it. */
public final class SmsRequests {
    private SmsRequests() {}

    /** Absent flags take the spec's defaults: URLs shortened, a marketing SMS; no sendAt means at once. */
    public static SmsToSend toSend(SmsCreateRequest request) {
        return new SmsToSend(request.getFrom(), request.getTo(), request.getBody(),
                !Boolean.FALSE.equals(request.getShortenUrls()), Boolean.TRUE.equals(request.getIsTransactional()),
                request.getSendAt() == null ? null : request.getSendAt().toInstant(), request.getValidityPeriod());
    }

    /**
     * The messages of a batch, in order; one the spec refused whole is null, and so is the list
     * when the spec refused it.
     */
    public static List<SmsToSend> toSend(SmsBatchRequest request) {
        if (request.getMessages() == null) {
            return null;
        }
        List<SmsToSend> messages = new ArrayList<>(request.getMessages().size());
        for (SmsCreateRequest message : request.getMessages()) {
            messages.add(message == null ? null : toSend(message));
        }
        return messages;
    }
}
