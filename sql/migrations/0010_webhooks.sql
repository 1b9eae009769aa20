-- Webhooks: a corporation's systems hear of changes to its cases by signed HTTP POSTs
-- (Standard Webhooks). service/webhooks/ queues and delivers them.
--
-- secret is the signing secret ("whsec_" + base64) in clear: signing needs the secret
-- itself, so it cannot be stored as a hash like an API token. Anyone who can read this
-- table (or a backup) can sign as us; a subscription whose secret leaked is removed and
-- made anew.
CREATE TABLE webhook_subscriptions (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    corporation_id  bigint NOT NULL REFERENCES corporations (id),
    url             text NOT NULL CHECK (length(url) <= 2000),
    secret          text NOT NULL CHECK (secret LIKE 'whsec\_%'),
    -- Case event kinds (service/domain/events.py EventKind) this subscription wants.
    event_kinds     text[] NOT NULL CHECK (cardinality(event_kinds) > 0),
    active          boolean NOT NULL DEFAULT true,
    -- Set when the worker gave up on it; active is then false.
    disabled_at     timestamptz,
    -- The first failed attempt since the last delivery that went through.
    failing_since   timestamptz,
    created_at      timestamptz NOT NULL
);
-- The question every change of a case asks (intake too): does its corporation want to hear?
CREATE INDEX webhook_subscriptions_corporation_idx
    ON webhook_subscriptions (corporation_id) WHERE active;

-- One POST per (subscription, case event). id is the message's stable identity, sent as
-- webhook-id: a delivery tried again, or sent twice after a worker died, carries the same id.
-- payload is the JSON body as it was when the event happened, so every attempt sends the
-- same bytes. last_error is an HTTP status or an exception's class, never a reply's text.
CREATE TABLE webhook_deliveries (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    subscription_id   bigint NOT NULL REFERENCES webhook_subscriptions (id) ON DELETE CASCADE,
    case_id           uuid NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    seq               integer NOT NULL,  -- the event's seq in case_events: order per case
    payload           jsonb NOT NULL,
    status            text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed')),
    attempts          integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at   timestamptz NOT NULL,
    -- The day of retries counts from here.
    first_attempt_at  timestamptz,
    created_at        timestamptz NOT NULL,
    sent_at           timestamptz,
    last_error        text,
    UNIQUE (subscription_id, case_id, seq),
    CHECK ((status = 'sent') = (sent_at IS NOT NULL))
);
-- The workers' question: the oldest undelivered message of each (subscription, case).
CREATE INDEX webhook_deliveries_queued_idx
    ON webhook_deliveries (subscription_id, case_id, seq) WHERE status = 'queued';
CREATE INDEX webhook_deliveries_case_idx ON webhook_deliveries (case_id);
-- The worker forgets sent messages after a week.
CREATE INDEX webhook_deliveries_sent_idx ON webhook_deliveries (sent_at) WHERE status = 'sent';
