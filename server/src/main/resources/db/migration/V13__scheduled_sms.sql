-- When the client asked for the SMS to be sent (sendAt), to echo it. The claim needs nothing new:
-- a scheduled SMS is inserted with next_attempt_at at its time, so the (status, next_attempt_at)
-- index keeps it out of every claim until then.
ALTER TABLE sms ADD COLUMN send_at TIMESTAMP WITH TIME ZONE;
