-- E-mail to staff (service/notifications/staff_mail.py): each user may switch kinds of it off,
-- and the worker records what it has escalated and which daily digests it has written, so that
-- any number of workers side by side send each one once.

-- The kinds a user switched off (a staff member on leave): `users notifications EMAIL --off`.
ALTER TABLE users
    ADD COLUMN muted_notifications text[] NOT NULL DEFAULT '{}'
        CHECK (muted_notifications <@ ARRAY['assigned', 'tenant_message', 'escalation', 'digest']);

-- An acute case not acknowledged: 'two_hours' after the report, 'deadline' at its acknowledge
-- deadline. The primary key makes each stage of each case happen once. (The worker finds
-- the cases with the dashboard's index cases_acute_waiting_idx.)
CREATE TABLE case_escalations (
    case_id       uuid NOT NULL REFERENCES cases (id),
    stage         text NOT NULL CHECK (stage IN ('two_hours', 'deadline')),
    escalated_at  timestamptz NOT NULL,
    PRIMARY KEY (case_id, stage)
);

-- One digest per manager per working day (the day in Amsterdam), written or found empty.
CREATE TABLE digests_sent (
    user_id  bigint NOT NULL REFERENCES users (id),
    day      date NOT NULL,
    done_at  timestamptz NOT NULL,
    PRIMARY KEY (user_id, day)
);
