package dev.sofy.server.delivery;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A link to a carrier (an SMS centre). Implementations keep the link up on their own
 * (reconnecting with backoff) and pace submissions to the carrier's rate and window.
 */
public interface CarrierConnector extends AutoCloseable {

    /**
     * Starts the link; {@code events} receives delivery receipts and inbound messages, on the
     * connector's threads, for as long as the connector runs. An event is acknowledged to the
     * carrier only after {@code events} returned, so that a crash cannot lose it.
     */
    void start(Consumer<CarrierEvent> events);

    /**
     * Submits an SMS. The future completes once the carrier accepted every part, failing with
     * {@link SubmitRejectedException} when the carrier refused it for good and with
     * {@link CarrierUnavailableException} when it should be tried again later.
     */
    CompletableFuture<SubmitResult> submit(OutboundSms sms);

    @Override
    void close();
}
