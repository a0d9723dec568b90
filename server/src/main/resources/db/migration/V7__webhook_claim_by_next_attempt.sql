-- As for SMS (V5): a claimed event is not due again before its lease ends, so claims read only
-- due events, in the order of the (delivered_at, failed_at, next_attempt_at) index, and stop
-- at their LIMIT instead of sorting the whole outbox.
UPDATE webhook_delivery SET next_attempt_at = claim_expires_at
WHERE claimed_by IS NOT NULL AND delivered_at IS NULL AND failed_at IS NULL AND claim_expires_at > next_attempt_at;
