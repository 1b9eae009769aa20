-- Foundation: corporations, the portfolio register, reporters, cases and their history.

CREATE TABLE corporations (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code        text NOT NULL UNIQUE
                CHECK (code ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(code) <= 40),
    name        text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
    email       text CHECK (email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$'),
    phone       text CHECK (phone ~ '^\+?[0-9 ()-]{6,20}$'),
    active      boolean NOT NULL DEFAULT true,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- The portfolio register: which corporation owns which home. An absent house
-- letter or addition is stored as '' so that the normalised address is a
-- plain unique key that routing can match with one index lookup.
CREATE TABLE addresses (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    corporation_id    bigint NOT NULL REFERENCES corporations (id),
    bag_id            text UNIQUE CHECK (bag_id ~ '^[0-9]{4}01[0-9]{10}$'),
    postcode          text NOT NULL
                      CHECK (postcode ~ '^[1-9][0-9]{3}[A-Z]{2}$'
                             AND right(postcode, 2) NOT IN ('SA', 'SD', 'SS')),
    house_number      integer NOT NULL CHECK (house_number BETWEEN 1 AND 99999),
    house_letter      text NOT NULL DEFAULT '' CHECK (house_letter ~ '^[A-Z]?$'),
    addition          text NOT NULL DEFAULT '' CHECK (addition ~ '^[0-9A-Z]{0,4}$'),
    street            text NOT NULL CHECK (length(btrim(street)) BETWEEN 1 AND 200),
    city              text NOT NULL CHECK (length(btrim(city)) BETWEEN 1 AND 100),
    municipality_code text CHECK (municipality_code ~ '^GM[0-9]{4}$'),
    lat               double precision CHECK (lat BETWEEN -90 AND 90),
    lon               double precision CHECK (lon BETWEEN -180 AND 180),
    synthetic         boolean NOT NULL DEFAULT false,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT addresses_normalised_unique UNIQUE (postcode, house_number, house_letter, addition),
    CHECK ((lat IS NULL) = (lon IS NULL))
);
-- Routing suggestions count homes per corporation in a postcode and in its 4-digit area.
CREATE INDEX addresses_area_idx ON addresses (left(postcode, 4), corporation_id);
CREATE INDEX addresses_corporation_idx ON addresses (corporation_id);

-- Personal data, kept apart from the case so that it can be anonymised.
CREATE TABLE reporters (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name           text NOT NULL CHECK (length(name) <= 200),
    email          text CHECK (email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$' AND length(email) <= 254),
    phone          text CHECK (phone ~ '^\+?[0-9]{6,15}$'),
    language       text NOT NULL DEFAULT 'nl' CHECK (language IN ('nl', 'en')),
    created_at     timestamptz NOT NULL DEFAULT now(),
    anonymised_at  timestamptz,
    CHECK (anonymised_at IS NOT NULL OR email IS NOT NULL OR phone IS NOT NULL)
);

CREATE SEQUENCE case_reference_seq;

CREATE TABLE cases (
    id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    reference            text NOT NULL UNIQUE CHECK (reference ~ '^SCH-[0-9]{4}-[0-9]{6,}$'),
    category             text NOT NULL
                         CHECK (category IN ('crack', 'subsidence', 'unsafe_situation', 'other')),
    acute                boolean NOT NULL,
    urgency              text NOT NULL CHECK (urgency IN ('acute', 'high', 'normal')),
    description          text NOT NULL CHECK (length(description) BETWEEN 1 AND 5000),
    noticed_on           date,
    status               text NOT NULL CHECK (status IN (
                             'unrouted', 'new', 'acknowledged', 'inspection_planned',
                             'inspected', 'repair_planned', 'referred', 'on_hold',
                             'resolved', 'closed', 'rejected')),
    corporation_id       bigint REFERENCES corporations (id),
    address_id           bigint REFERENCES addresses (id),
    -- The address as reported, kept even when the register changes later.
    bag_id               text CHECK (bag_id ~ '^[0-9]{4}01[0-9]{10}$'),
    postcode             text CHECK (postcode ~ '^[1-9][0-9]{3}[A-Z]{2}$'),
    house_number         integer CHECK (house_number BETWEEN 1 AND 99999),
    house_letter         text NOT NULL DEFAULT '' CHECK (house_letter ~ '^[A-Z]?$'),
    addition             text NOT NULL DEFAULT '' CHECK (addition ~ '^[0-9A-Z]{0,4}$'),
    street               text,
    city                 text,
    municipality_code    text CHECK (municipality_code ~ '^GM[0-9]{4}$'),
    reporter_id          bigint NOT NULL REFERENCES reporters (id),
    tracking_token_hash  bytea NOT NULL CHECK (length(tracking_token_hash) = 32),
    acknowledge_by       timestamptz NOT NULL,
    inspect_by           timestamptz NOT NULL,
    resolve_by           timestamptz NOT NULL,
    reported_at          timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    closed_at            timestamptz,
    version              integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    last_event_seq       integer NOT NULL DEFAULT 0 CHECK (last_event_seq >= 0),
    synthetic            boolean NOT NULL DEFAULT false,
    -- A case is located either by its postcode and number or by a BAG id.
    CHECK ((postcode IS NOT NULL AND house_number IS NOT NULL) OR bag_id IS NOT NULL),
    -- Only an unrouted (or rejected) case may lack a corporation.
    CHECK (corporation_id IS NOT NULL OR status IN ('unrouted', 'rejected')),
    CHECK (status <> 'unrouted' OR corporation_id IS NULL),
    CHECK (acknowledge_by <= inspect_by AND inspect_by <= resolve_by),
    CHECK (closed_at IS NULL OR status IN ('closed', 'rejected'))
);
CREATE INDEX cases_corporation_status_idx ON cases (corporation_id, status);
CREATE INDEX cases_unrouted_idx ON cases (reported_at) WHERE status = 'unrouted';
CREATE INDEX cases_address_idx ON cases (address_id);
CREATE INDEX cases_reporter_idx ON cases (reporter_id);

-- Append-only history. seq counts 1, 2, 3, ... per case with no gaps.
CREATE TABLE case_events (
    case_id      uuid NOT NULL REFERENCES cases (id),
    seq          integer NOT NULL CHECK (seq >= 1),
    at           timestamptz NOT NULL DEFAULT now(),
    actor        text NOT NULL CHECK (length(actor) BETWEEN 1 AND 200),
    kind         text NOT NULL CHECK (kind ~ '^[a-z_]+$'),
    from_status  text,
    to_status    text,
    public       boolean NOT NULL DEFAULT false,
    data         jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(data) = 'object'),
    PRIMARY KEY (case_id, seq)
);

CREATE FUNCTION case_events_gap_free() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    expected integer;
BEGIN
    SELECT coalesce(max(seq), 0) + 1 INTO expected FROM case_events WHERE case_id = NEW.case_id;
    IF NEW.seq <> expected THEN
        RAISE EXCEPTION 'case_events.seq must be % for case %, got %', expected, NEW.case_id, NEW.seq
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER case_events_gap_free BEFORE INSERT ON case_events
    FOR EACH ROW EXECUTE FUNCTION case_events_gap_free();

CREATE FUNCTION case_events_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'case_events is append-only' USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER case_events_append_only BEFORE UPDATE OR DELETE ON case_events
    FOR EACH ROW EXECUTE FUNCTION case_events_append_only();

-- Retried report submissions: the key and body are stored as hashes; the
-- answer is kept without the tracking token, which is derived again on replay.
CREATE TABLE idempotency_keys (
    key_hash      bytea PRIMARY KEY CHECK (length(key_hash) = 32),
    request_hash  bytea NOT NULL CHECK (length(request_hash) = 32),
    case_id       uuid REFERENCES cases (id),
    response      jsonb,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);
