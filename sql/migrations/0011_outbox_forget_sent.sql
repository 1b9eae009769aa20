-- The worker deletes sent messages after a week (they hold an e-mail address): this index
-- finds them without reading the whole outbox.
CREATE INDEX outbox_sent_idx ON outbox (sent_at) WHERE status = 'sent';
