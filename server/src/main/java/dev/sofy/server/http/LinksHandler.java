package dev.sofy.server.http;

import dev.sofy.api.LinksApi;
import dev.sofy.api.model.Problem;
import dev.sofy.server.links.LinkService;
import io.javalin.http.Context;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Short links: a redirect to the original URL, the click counted. */
final class LinksHandler implements LinksApi<Context> {
    /** The status of a followed link (not a 2xx, so the generated interface has no constant for it). */
    static final int FOLLOW_LINK_STATUS = 302;

    private final LinkService links;

    LinksHandler(LinkService links) {
        this.links = links;
    }

    @Override
    public CompletionStage<Problem> followLink(Context ctx, String code) {
        ctx.header("Location", links.follow(code));
        return CompletableFuture.completedFuture(null);
    }
}
