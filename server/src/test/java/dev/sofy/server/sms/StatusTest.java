package dev.sofy.server.sms;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sofy.api.model.SmsStatus;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusTest {

    @Test
    void theDomainStatusesAreExactlyTheSpecsStatuses() {
        List<String> domain = Arrays.stream(Status.values()).map(Status::wireName).toList();
        List<String> spec = Arrays.stream(SmsStatus.values()).map(SmsStatus::toString).toList();
        assertEquals(spec, domain);
    }

    @Test
    void onlyDeliveredUndeliveredErroredAndCanceledAreFinal() {
        List<Status> finals = Arrays.stream(Status.values()).filter(Status::isFinal).toList();
        assertEquals(List.of(Status.DELIVERED, Status.UNDELIVERED, Status.ERRORED, Status.CANCELED), finals);
    }
}
