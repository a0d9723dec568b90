package dev.sofy.server.http;

import dev.sofy.api.LinksApi;
import dev.sofy.api.model.Problem;
import dev.sofy.server.links.LinkService;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Short links: a redirect to the original URL, the click counted on GET; limited per client address. */
final class LinksHandler implements LinksApi<Context> {
    private final LinkService links;

    LinksHandler(LinkService links) {
        this.links = links;
    }

    /** A HEAD (a link checker, a preview) gets the same answer, but is no click. */
    @Override
    public CompletionStage<Problem> followLink(Context ctx, String code) {
        String address = ctx.ip();
        String url = ctx.method() == HandlerType.HEAD ? links.peek(code, address) : links.follow(code, address);
        ctx.header("Location", url);
        return CompletableFuture.completedFuture(null);
    }
}
