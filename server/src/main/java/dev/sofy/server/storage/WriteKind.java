package dev.sofy.server.storage;

import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * A kind of write that commits through the {@link CommitQueue}, and how a batch of it is applied
 * in the writer's transaction. The store whose writes they are declares the kind and registers
 * it with the queue ({@link CommitQueue#register}); a commit applies the kinds in the order of
 * {@link CommitQueue#COMMIT_ORDER}, where each has its place.
 *
 * @param <W> one write of this kind
 */
sealed interface WriteKind<W> permits JdbiSmsStore.NewSmsWrites, JdbiLifecycleStore.TransitionWrites, JdbiSmsStore.CancelWrites,
        JdbiWebhookStore.OutcomeWrites, JdbiLinkStore.ClickWrites {

    /**
     * Applies the writes, never none, in the order they were queued; throws if one of them cannot
     * be applied, and the whole transaction rolls back.
     *
     * @param now when the transaction began, to the microsecond
     */
    void apply(Handle handle, List<W> batch, Instant now);
}
