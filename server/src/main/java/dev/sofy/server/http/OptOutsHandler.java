package dev.sofy.server.http;

import dev.sofy.api.OptOutsApi;
import dev.sofy.api.model.OptOutCreateRequest;
import dev.sofy.api.model.OptOutList;
import dev.sofy.server.marketing.OptOut;
import dev.sofy.server.marketing.OptOutService;
import io.javalin.http.Context;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** The opt-out operations of the spec: HTTP in, a domain call, the generated model out. */
final class OptOutsHandler implements OptOutsApi<Context> {
    /** The page size when the client gives none; the spec says the same. */
    static final int DEFAULT_PAGE_SIZE = 100;

    private final OptOutService optOuts;

    OptOutsHandler(OptOutService optOuts) {
        this.optOuts = optOuts;
    }

    @Override
    public CompletionStage<dev.sofy.api.model.OptOut> createOptOut(Context ctx, OptOutCreateRequest request) {
        OptOut added = optOuts.add(Authentication.account(ctx), request.getNumber());
        ctx.header("Location", DELETE_OPT_OUT_PATH.replace("{number}", added.number()));
        return CompletableFuture.completedFuture(resource(added));
    }

    @Override
    public CompletionStage<Void> deleteOptOut(Context ctx, String number) {
        optOuts.remove(Authentication.account(ctx), number);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<OptOutList> listOptOuts(Context ctx, Integer limit, String cursor) {
        OptOutService.Page page = optOuts.list(Authentication.account(ctx), limit == null ? DEFAULT_PAGE_SIZE : limit, cursor);
        return CompletableFuture.completedFuture(new OptOutList()
                .data(page.entries().stream().map(OptOutsHandler::resource).toList())
                .hasMore(page.nextCursor() != null)
                .nextCursor(page.nextCursor()));
    }

    private static dev.sofy.api.model.OptOut resource(OptOut optOut) {
        return new dev.sofy.api.model.OptOut()
                .number(optOut.number())
                .source(dev.sofy.api.model.OptOut.SourceEnum.fromValue(optOut.source().wireName()))
                .createdAt(optOut.createdAt().atOffset(ZoneOffset.UTC));
    }
}
