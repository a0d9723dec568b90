package dev.sofy.server.http;

import dev.sofy.api.SmsApi;
import dev.sofy.api.model.Sms;
import dev.sofy.api.model.SmsCreateRequest;
import dev.sofy.api.model.SmsStatus;
import dev.sofy.server.sms.Message;
import dev.sofy.server.sms.SmsService;
import io.javalin.http.Context;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** The SMS operations of the spec: HTTP in, a domain call, the generated model out. */
final class SmsHandler implements SmsApi<Context> {
    private final SmsService sms;

    SmsHandler(SmsService sms) {
        this.sms = sms;
    }

    @Override
    public CompletionStage<Sms> createSms(Context ctx, SmsCreateRequest request, String idempotencyKey) {
        return sms.send(Authentication.account(ctx), request, idempotencyKey).thenApply(accepted -> {
            ctx.header("Location", GET_SMS_PATH.replace("{id}", accepted.message().id()));
            if (accepted.replayed()) {
                ctx.header("Idempotent-Replayed", "true");
            }
            return resource(accepted.message());
        });
    }

    @Override
    public CompletionStage<Sms> getSms(Context ctx, String id) {
        return CompletableFuture.completedFuture(resource(sms.get(Authentication.account(ctx), id)));
    }

    static Sms resource(Message message) {
        return new Sms()
                .shortenUrls(message.shortenUrls())
                .isTransactional(message.transactional())
                .from(message.from())
                .to(message.to())
                .body(message.body())
                .id(message.id())
                .status(SmsStatus.fromValue(message.status().wireName()))
                .statusReason(message.statusReason());
    }
}
