-- SMS from handsets (deliver_sm that are not receipts), one row for each account that sees one:
-- each account has its own id for it, and reads and lists touch only its own rows, as with sms.
-- No foreign keys: the account comes from an SMS of that account in the same transaction.
CREATE TABLE inbound_sms (
    id          CHAR(21)                 PRIMARY KEY,
    account_id  BIGINT                   NOT NULL,
    -- The handset's number, international digits.
    sender      VARCHAR(15)              NOT NULL,
    -- The account's sender it was sent to, as the carrier gave it (an SMPP address has 21 characters at most).
    recipient   VARCHAR(21)              NOT NULL,
    -- 1,600 code points are at most 3,200 UTF-16 units (H2 counts units, PostgreSQL code points).
    body        VARCHAR(3200)            NOT NULL,
    received_at TIMESTAMP WITH TIME ZONE NOT NULL
);

-- The list, newest first, and its received-at range; the from and to filters.
CREATE INDEX inbound_sms_account_received ON inbound_sms (account_id, received_at, id);
CREATE INDEX inbound_sms_account_sender ON inbound_sms (account_id, sender, received_at);
CREATE INDEX inbound_sms_account_recipient ON inbound_sms (account_id, recipient, received_at);

-- An sms.received event is written into the outbox with its inbound SMS, in the same transaction.
ALTER TABLE webhook_delivery ADD COLUMN inbound_sms_id CHAR(21);
