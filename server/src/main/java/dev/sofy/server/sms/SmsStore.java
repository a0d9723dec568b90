package dev.sofy.server.sms;

import java.util.Optional;

/** Where SMS are kept. */
public interface SmsStore {

    /** Stores a new SMS; when this returns, the row is committed. */
    void insert(Message message);

    /** The SMS with this id if it belongs to the account. */
    Optional<Message> find(long accountId, String id);
}
