package dev.sofy.server.http;

import dev.sofy.api.SmsApi;
import dev.sofy.api.model.FieldError;
import dev.sofy.api.model.Sms;
import dev.sofy.api.model.SmsBatch;
import dev.sofy.api.model.SmsBatchRequest;
import dev.sofy.api.model.SmsCreateRequest;
import dev.sofy.server.sms.SmsToSend;
import dev.sofy.api.model.SmsList;
import dev.sofy.api.model.SmsStatus;
import dev.sofy.server.http.wire.SmsRequests;
import dev.sofy.server.http.wire.SmsResources;
import dev.sofy.server.links.TrackedLink;
import dev.sofy.server.sms.Message;
import dev.sofy.server.sms.Page;
import dev.sofy.server.sms.SmsQuery;
import dev.sofy.server.sms.SmsService;
import dev.sofy.server.sms.Status;
import io.javalin.http.Context;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/** The SMS operations of the spec: HTTP in, a domain call, the generated model out. */
final class SmsHandler implements SmsApi<Context> {
    /** The page size when the client gives none; the spec says the same. */
    static final int DEFAULT_PAGE_SIZE = 20;

    private final SmsService sms;
    private final Supplier<String> publicUrl;

    SmsHandler(SmsService sms, Supplier<String> publicUrl) {
        this.sms = sms;
        this.publicUrl = publicUrl;
    }

    @Override
    public CompletionStage<Sms> createSms(Context ctx, SmsCreateRequest request, String idempotencyKey) {
        return sms.send(Authentication.account(ctx), SmsRequests.toSend(request), idempotencyKey).thenApply(accepted -> {
            ctx.header("Location", GET_SMS_PATH.replace("{id}", accepted.message().id()));
            if (accepted.replayed()) {
                ctx.header("Idempotent-Replayed", "true");
            }
            return resource(accepted.message(), accepted.links());
        });
    }

    /**
     * What the domain's rules find wrong with a request, run also on the fields of a request the
     * spec refused, so that one answer lists every bad field.
     */
    @Override
    public List<FieldError> createSmsViolations(Context ctx, SmsCreateRequest request, String idempotencyKey) {
        return sms.violations(SmsRequests.toSend(request), idempotencyKey).stream()
                .map(violation -> new FieldError(violation.field(), violation.message()))
                .toList();
    }

    @Override
    public CompletionStage<Sms> cancelSms(Context ctx, String id) {
        return CompletableFuture.completedFuture(resources(List.of(sms.cancel(Authentication.account(ctx), id))).get(0));
    }

    @Override
    public CompletionStage<SmsBatch> createSmsBatch(Context ctx, SmsBatchRequest request, String idempotencyKey) {
        return sms.sendBatch(Authentication.account(ctx), SmsRequests.toSend(request), idempotencyKey,
                        count -> Authentication.takeSendUnits(ctx, count))
                .thenApply(accepted -> {
                    if (accepted.get(0).replayed()) {
                        ctx.header("Idempotent-Replayed", "true");
                    }
                    String base = publicUrl.get();
                    return new SmsBatch().data(accepted.stream()
                            .map(one -> resource(one.message(), one.links(), base))
                            .toList());
                });
    }

    /** The rules of each message of a batch, named by its place, as for one SMS. */
    @Override
    public List<FieldError> createSmsBatchViolations(Context ctx, SmsBatchRequest request, String idempotencyKey) {
        List<SmsToSend> messages = SmsRequests.toSend(request);
        return sms.batchViolations(messages == null ? List.of() : messages, idempotencyKey).stream()
                .map(violation -> new FieldError(violation.field(), violation.message()))
                .toList();
    }

    @Override
    public CompletionStage<Sms> getSms(Context ctx, String id) {
        return CompletableFuture.completedFuture(resources(List.of(sms.get(Authentication.account(ctx), id))).get(0));
    }

    @Override
    public CompletionStage<SmsList> listSms(Context ctx, Integer limit, String cursor, SmsStatus status, String to,
                                            OffsetDateTime createdFrom, OffsetDateTime createdTo) {
        var query = new SmsQuery(limit == null ? DEFAULT_PAGE_SIZE : limit, cursor,
                status == null ? null : Status.fromWireName(status.toString()), to,
                createdFrom == null ? null : createdFrom.toInstant(), createdTo == null ? null : createdTo.toInstant());
        Page page = sms.list(Authentication.account(ctx), query);
        return CompletableFuture.completedFuture(new SmsList()
                .data(resources(page.messages()))
                .hasMore(page.nextCursor() != null)
                .nextCursor(page.nextCursor()));
    }

    /** The resources of these SMS, with their short links and clicks. */
    private List<Sms> resources(List<Message> messages) {
        Map<String, List<TrackedLink>> links = sms.links(messages);
        return messages.stream().map(message -> resource(message, links.getOrDefault(message.id(), List.of()))).toList();
    }

    private Sms resource(Message message, List<TrackedLink> links) {
        return resource(message, links, publicUrl.get());
    }

    private static Sms resource(Message message, List<TrackedLink> links, String base) {
        return SmsResources.of(message, links.stream()
                .map(link -> new SmsResources.Link(link.url(), base + "/r/" + link.code(), link.clicks()))
                .toList());
    }
}
