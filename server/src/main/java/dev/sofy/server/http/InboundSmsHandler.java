package dev.sofy.server.http;

import dev.sofy.api.InboundSmsApi;
import dev.sofy.api.model.InboundSms;
import dev.sofy.api.model.InboundSmsList;
import dev.sofy.server.http.wire.InboundResources;
import dev.sofy.server.inbound.InboundPage;
import dev.sofy.server.inbound.InboundQuery;
import dev.sofy.server.inbound.InboundService;
import io.javalin.http.Context;
import java.time.OffsetDateTime;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** The inbound SMS operations of the spec: HTTP in, a domain call, the generated model out. */
final class InboundSmsHandler implements InboundSmsApi<Context> {
    /** The page size when the client gives none; the spec says the same. */
    static final int DEFAULT_PAGE_SIZE = 20;

    private final InboundService inbound;

    InboundSmsHandler(InboundService inbound) {
        this.inbound = inbound;
    }

    @Override
    public CompletionStage<InboundSms> getInboundSms(Context ctx, String id) {
        return CompletableFuture.completedFuture(InboundResources.of(inbound.get(Authentication.account(ctx), id)));
    }

    @Override
    public CompletionStage<InboundSmsList> listInboundSms(Context ctx, Integer limit, String cursor, String from,
                                                          String to, OffsetDateTime receivedFrom,
                                                          OffsetDateTime receivedTo) {
        var query = new InboundQuery(limit == null ? DEFAULT_PAGE_SIZE : limit, cursor, from, to,
                receivedFrom == null ? null : receivedFrom.toInstant(), receivedTo == null ? null : receivedTo.toInstant());
        InboundPage page = inbound.list(Authentication.account(ctx), query);
        return CompletableFuture.completedFuture(new InboundSmsList()
                .data(page.messages().stream().map(InboundResources::of).toList())
                .hasMore(page.nextCursor() != null)
                .nextCursor(page.nextCursor()));
    }
}
