package dev.sofy.server.delivery;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A link to a carrier (an SMS centre). Implementations keep the link up on their own
 * (reconnecting with backoff) and pace submissions to the carrier's rate and window.
 */
public interface CarrierConnector extends AutoCloseable {

    /** The carrier's name, unique among the carriers: routes, receipts and the SMS resource name it. */
    String name();

    /**
     * Starts the link; {@code events} receives delivery receipts and inbound messages, on the
     * connector's threads, for as long as the connector runs. An event is acknowledged to the
     * carrier only after {@code events} returned, so that a crash cannot lose it.
     */
    void start(Consumer<CarrierEvent> events);

    /**
     * Whether a submission now would be tried: at least one session is bound and the carrier is
     * not backing off after asking us to slow down. The dispatcher prefers the first ready
     * carrier of a route.
     */
    boolean isReady();

    /**
     * Submits an SMS. The future completes once the carrier accepted every part, failing with
     * {@link SubmitRejectedException} when the carrier refused it for good and with
     * {@link CarrierUnavailableException} when it should be tried again later.
     */
    CompletableFuture<SubmitResult> submit(OutboundSms sms);

    /**
     * Asks the carrier what became of one part it accepted (SMPP query_sm). Fails with
     * {@link QueryUnsupportedException} when the carrier does not answer queries (generic_nack or
     * an error status), and with {@link CarrierUnavailableException} when it cannot be asked now.
     *
     * @param from the sender the part was submitted with, which query_sm names
     */
    CompletableFuture<QueryAnswer> query(String carrierMessageId, String from);

    @Override
    void close();
}
