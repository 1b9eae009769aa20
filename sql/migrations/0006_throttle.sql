-- Throttling of anonymous intake, tracking look-ups and sign-in (service/throttle/), shared
-- by every worker process and replica. Keys are keyed hashes (HMAC with SECRET_KEY) of what is
-- counted: no client address or e-mail address is stored.
--
-- UNLOGGED: these rows are written on every report and sign-in and are worth nothing after a
-- crash (PostgreSQL empties unlogged tables then, which only forgives some counts), so they
-- skip the write-ahead log.

-- Fixed-window counters: hits of one bucket (a kind of request from one address) in the
-- window that ends at window_ends. The worker deletes ended windows.
CREATE UNLOGGED TABLE throttle_counts (
    bucket bytea NOT NULL,
    window_ends timestamptz NOT NULL,
    hits integer NOT NULL,
    PRIMARY KEY (bucket, window_ends)
);

-- Failed sign-ins per account (the e-mail address as typed, whether or not it exists): the
-- wait before the next attempt grows with `failures`, counted from the last one. A success
-- deletes the row; the worker deletes rows whose last failure is a day old.
CREATE UNLOGGED TABLE sign_in_failures (
    account bytea PRIMARY KEY,
    failures integer NOT NULL,
    last_failure_at timestamptz NOT NULL
);
