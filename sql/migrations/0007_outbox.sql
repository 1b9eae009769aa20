-- The outbox: messages to send, written in the same transaction as the change that calls for
-- them, so a change and its messages commit or vanish together. `python -m service worker`
-- delivers them (service/notifications/delivery.py).
--
-- id is the message's stable identity: the e-mail's Message-ID, so a message sent twice
-- (a worker that died between sending and marking it sent) is recognisable as the same one.
-- last_error holds the kind of the last failure only (an exception's class, an SMTP code),
-- never its message, which could quote personal data.
CREATE TABLE outbox (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    kind             text NOT NULL,
    recipient        text NOT NULL,
    payload          jsonb NOT NULL,
    status           text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed')),
    attempts         integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    -- When a worker may (next) try it; a worker that claims it moves it a lease ahead.
    next_attempt_at  timestamptz NOT NULL,
    created_at       timestamptz NOT NULL,
    sent_at          timestamptz,
    last_error       text,
    CHECK ((status = 'sent') = (sent_at IS NOT NULL))
);
-- The workers' question: what is due now.
CREATE INDEX outbox_due_idx ON outbox (next_attempt_at) WHERE status = 'queued';
CREATE INDEX outbox_failed_idx ON outbox (created_at) WHERE status = 'failed';
