-- An idempotency key of a batch remembers every SMS it created, in the order of the answer: their
-- ids, comma-separated (1,000 ids of 21 characters). One column rather than a row an SMS, so that
-- a batch of 1,000 writes one more row, not 1,000. NULL for a single SMS, whose id is sms_id.
ALTER TABLE idempotency_key ADD COLUMN batch_sms_ids VARCHAR(22000);
