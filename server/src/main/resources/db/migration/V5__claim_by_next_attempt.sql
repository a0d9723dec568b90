-- Claims used to scan every pending SMS, held and claimed ones included, for the few that were
-- due: a night's held marketing campaign made each claim read all of it. Now next_attempt_at says
-- when a pending SMS may be claimed next, always: its creation, the end of its hold or of its
-- retry delay, or the end of the lease of the node that claimed it. A claim reads only due SMS.
UPDATE sms SET next_attempt_at = created_at WHERE status = 'pending' AND next_attempt_at IS NULL;
UPDATE sms SET next_attempt_at = claim_expires_at
WHERE status = 'pending' AND claimed_by IS NOT NULL AND claim_expires_at > next_attempt_at;

CREATE INDEX sms_status_next_attempt ON sms (status, next_attempt_at);

-- A held marketing SMS says so in held_until, not in its reason: a pending SMS keeps the empty
-- reason of Sofy's answer, whatever the time of day.
ALTER TABLE sms ADD COLUMN held_until TIMESTAMP WITH TIME ZONE;
UPDATE sms SET held_until = next_attempt_at, status_reason = ''
WHERE status = 'pending' AND status_reason LIKE 'held until %';
