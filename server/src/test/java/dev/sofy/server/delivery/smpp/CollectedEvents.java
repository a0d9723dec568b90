package dev.sofy.server.delivery.smpp;

import static org.junit.jupiter.api.Assertions.fail;

import dev.sofy.server.delivery.CarrierEvent;
import dev.sofy.server.delivery.CarrierEvent.DeliveryReceipt;
import dev.sofy.server.delivery.CarrierEvent.InboundMessage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/** A carrier event listener that keeps what it hears, for tests to wait on. */
final class CollectedEvents implements Consumer<CarrierEvent> {
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private final Map<String, DeliveryReceipt> receipts = new ConcurrentHashMap<>();
    private final List<InboundMessage> inbound = new CopyOnWriteArrayList<>();
    private final AtomicInteger receiptCount = new AtomicInteger();

    @Override
    public void accept(CarrierEvent event) {
        if (event instanceof DeliveryReceipt receipt) {
            receipts.put(receipt.carrierMessageId(), receipt);
            receiptCount.incrementAndGet();
        } else if (event instanceof InboundMessage message) {
            inbound.add(message);
        }
    }

    int receiptCount() {
        return receiptCount.get();
    }

    boolean hasReceiptFor(String carrierMessageId) {
        return receipts.containsKey(carrierMessageId);
    }

    DeliveryReceipt awaitReceipt(String carrierMessageId) {
        await(() -> receipts.containsKey(carrierMessageId), "a receipt for " + carrierMessageId);
        return receipts.get(carrierMessageId);
    }

    InboundMessage awaitInbound() {
        await(() -> !inbound.isEmpty(), "an inbound message");
        return inbound.get(0);
    }

    static void await(BooleanSupplier condition, String what) {
        await(condition, what, PATIENCE);
    }

    static void await(BooleanSupplier condition, String what, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("waited " + patience.toMillis() + " ms in vain for " + what);
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted while waiting for " + what);
            }
        }
    }
}
