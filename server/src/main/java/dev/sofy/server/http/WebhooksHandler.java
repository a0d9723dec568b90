package dev.sofy.server.http;

import dev.sofy.api.WebhooksApi;
import dev.sofy.api.model.Webhook;
import dev.sofy.api.model.WebhookCreateRequest;
import dev.sofy.api.model.WebhookEventType;
import dev.sofy.api.model.WebhookList;
import dev.sofy.server.webhooks.Endpoint;
import dev.sofy.server.webhooks.EventType;
import dev.sofy.server.webhooks.WebhookService;
import io.javalin.http.Context;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** The webhook operations of the spec: HTTP in, a domain call, the generated model out. */
final class WebhooksHandler implements WebhooksApi<Context> {
    private final WebhookService webhooks;

    WebhooksHandler(WebhookService webhooks) {
        this.webhooks = webhooks;
    }

    @Override
    public CompletionStage<Webhook> createWebhook(Context ctx, WebhookCreateRequest request) {
        Endpoint endpoint = webhooks.register(Authentication.account(ctx), request.getUrl(),
                request.getEvents().stream().map(WebhookEventType::toString).toList());
        ctx.header("Location", CREATE_WEBHOOK_PATH + "/" + endpoint.id());
        return CompletableFuture.completedFuture(resource(endpoint).secret(endpoint.secret()));
    }

    @Override
    public CompletionStage<WebhookList> listWebhooks(Context ctx) {
        return CompletableFuture.completedFuture(new WebhookList()
                .data(webhooks.list(Authentication.account(ctx)).stream().map(WebhooksHandler::resource).toList()));
    }

    @Override
    public CompletionStage<Void> deleteWebhook(Context ctx, String id) {
        webhooks.delete(Authentication.account(ctx), id);
        return CompletableFuture.completedFuture(null);
    }

    private static Webhook resource(Endpoint endpoint) {
        return new Webhook()
                .id(endpoint.id())
                .url(endpoint.url())
                .events(endpoint.events().stream().map(EventType::wireName).sorted().map(WebhookEventType::fromValue).toList())
                .enabled(endpoint.enabled())
                .disabledReason(endpoint.disabledReason())
                .createdAt(endpoint.createdAt().atOffset(ZoneOffset.UTC));
    }
}
