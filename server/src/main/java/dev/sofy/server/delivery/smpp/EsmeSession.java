package dev.sofy.server.delivery.smpp;

import java.io.IOException;
import java.time.Duration;
import org.jsmpp.InvalidResponseException;
import org.jsmpp.PDUException;
import org.jsmpp.extra.NegativeResponseException;
import org.jsmpp.extra.ResponseTimeoutException;
import org.jsmpp.session.SMPPSession;
import org.jsmpp.session.UnbindCommandTask;
import org.jsmpp.session.connection.ConnectionFactory;

/**
 * jsmpp's client session, with an unbind that tells its caller how it ended. jsmpp's own
 * {@code unbind()} logs a missing unbind_resp as a warning with a stack trace, and it goes
 * missing in a race that is no fault of the SMSC: an SMSC may close the link right after its
 * unbind_resp, and when jsmpp's reader sees the close before a worker handled the answer, the
 * session is already closed and the answer is dropped. Only the caller knows the link closed.
 */
final class EsmeSession extends SMPPSession {
    EsmeSession(ConnectionFactory connections) {
        super(connections);
    }

    /** Sends unbind and waits up to {@code timeout} for unbind_resp. */
    void unbind(Duration timeout) throws PDUException, ResponseTimeoutException, InvalidResponseException,
            NegativeResponseException, IOException {
        executeSendCommand(new UnbindCommandTask(pduSender()), timeout.toMillis());
    }
}
