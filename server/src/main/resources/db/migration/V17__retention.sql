-- Retention (SOFY_RETENTION_DAYS) deletes the clicks of the links of the SMS it deletes, and the
-- idempotency keys pointing at them: PostgreSQL's foreign key to sms reads the keys of each SMS
-- deleted, and without an index would read them all. The SMS themselves are found along
-- (account_id, created_at), the inbound SMS along (account_id, received_at): no index more for them.
CREATE INDEX sms_click_code ON sms_click (code);
CREATE INDEX idempotency_key_sms ON idempotency_key (sms_id);
