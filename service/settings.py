"""Settings, read once from environment variables."""

import ipaddress
import os
import secrets
from collections.abc import Mapping
from pathlib import Path

import msgspec

from service.domain.privacy import DEFAULT_RETENTION_MONTHS


class RateLimit(msgspec.Struct, frozen=True):
    """At most `count` in each window of `seconds`, per client address."""

    count: int
    seconds: int


# Generous: a household, or a care home reporting for all its residents, never meets these.
REPORT_LIMIT = RateLimit(30, 600)
TRACKING_LIMIT = RateLimit(300, 600)
SIGN_IN_FAILURE_LIMIT = RateLimit(30, 600)
# "Lost your link?" sends an e-mail: per client address, and per e-mail address asked for,
# so that nobody can fill someone's mailbox with them.
LINK_LIMIT = RateLimit(10, 3600)
LINK_PER_EMAIL_LIMIT = RateLimit(3, 3600)
# Open311 POST requests: a partner's server files for many tenants from one address.
OPEN311_LIMIT = RateLimit(300, 600)
LOCAL_PROXIES = ("127.0.0.1", "::1")


# Database connections per worker process. PostgreSQL does the most with about twice as many
# connections at work as it has cores; more queue inside it while holding their row locks
# (issue 15: intake at 64 clients, 2 workers, 2 cores: a p99 of 282 ms with 10 connections per
# worker, 234 ms with 4).
DEFAULT_POOL_MIN = 2
DEFAULT_POOL_MAX = 4


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    # postgresql://... ; None means: run an embedded PostgreSQL in data_dir.
    database_url: str | None = None
    data_dir: Path = Path(".data")
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    # Where tenants reach the service; tracking links are built on it.
    public_base_url: str = "http://127.0.0.1:8000"
    # Signs derived tracking tokens; must be the same on every replica.
    secret_key: str = ""
    pool_min_size: int = DEFAULT_POOL_MIN
    pool_max_size: int = DEFAULT_POOL_MAX
    # Seconds a request waits for a free database connection before it answers 503.
    db_acquire_timeout: float = 5.0
    # CSV exports at once per process (each on a connection of its own), and the seconds an
    # export waits for a client that reads nothing before it gives up.
    export_max_concurrent: int = 2
    export_write_timeout: float = 30.0
    # Seconds a stopping server lets requests in flight finish.
    shutdown_timeout: int = 30
    log_level: str = "INFO"
    # Peers whose X-Forwarded-For (and -Proto) is believed: addresses or networks.
    trusted_proxies: tuple[str, ...] = LOCAL_PROXIES
    # Throttle counters live in PostgreSQL, or in this Redis when set.
    redis_url: str | None = None
    # Per client address; None: no limit.
    report_limit: RateLimit | None = REPORT_LIMIT
    tracking_limit: RateLimit | None = TRACKING_LIMIT
    sign_in_failure_limit: RateLimit | None = SIGN_IN_FAILURE_LIMIT
    link_limit: RateLimit | None = LINK_LIMIT
    # Per e-mail address asked for (its HMAC), from any client address.
    link_per_email_limit: RateLimit | None = LINK_PER_EMAIL_LIMIT
    open311_limit: RateLimit | None = OPEN311_LIMIT
    # Per account (the e-mail address as typed): free failures, then waits doubling from 1 s.
    sign_in_free_failures: int = 5
    sign_in_longest_wait: int = 900  # seconds
    # Password hashes computed at once per process; more sign-ins queue for a turn.
    password_hash_threads: int = 2
    # smtp://user:password@host:port or smtps://...; None: e-mail is written to DATA_DIR/mail.
    smtp_url: str | None = None
    mail_from: str = "Schademelding Groningen <noreply@localhost>"
    # Seconds a message a worker claimed stays its own; after that (the worker died while
    # sending) another worker sends it, with the same Message-ID.
    outbox_lease: float = 300.0
    # Webhooks may go to private, loopback and reserved addresses, and over plain http
    # (a receiver on this machine, the tests); never in production.
    webhook_allow_private: bool = False
    webhook_allow_http: bool = False
    # GET /metrics wants it as a bearer token; None: only clients on this machine get it.
    metrics_token: str | None = None
    # Where photos and documents are kept: a folder (a path or file:///...) or an object
    # store (s3://bucket/prefix?endpoint=...&region=...); None: DATA_DIR/attachments.
    attachments_url: str | None = None
    # Uploads worked on at once per server process, each in a worker process of its own
    # (decoding a photo takes a core for a moment).
    media_workers: int = 2
    # Months after a case is closed or rejected that the worker anonymises it (AVG retention).
    retention_months: int = DEFAULT_RETENTION_MONTHS

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> "Settings":
        env = os.environ if environ is None else environ
        host = env.get("HOST", "127.0.0.1")
        port = _whole_number(env, "PORT", 8000)
        data_dir = Path(env.get("DATA_DIR", ".data"))
        pool_min_size, pool_max_size = _pool_sizes(env)
        return cls(
            database_url=env.get("DATABASE_URL") or None,
            data_dir=data_dir,
            host=host,
            port=port,
            workers=_whole_number(env, "WORKERS", 1),
            public_base_url=env.get("PUBLIC_BASE_URL", f"http://{host}:{port}").rstrip("/"),
            secret_key=env.get("SECRET_KEY") or _local_secret(data_dir),
            pool_min_size=pool_min_size,
            pool_max_size=pool_max_size,
            db_acquire_timeout=_seconds(env, "DB_ACQUIRE_TIMEOUT", 5.0),
            export_max_concurrent=_whole_number(env, "EXPORT_MAX_CONCURRENT", 2),
            export_write_timeout=_seconds(env, "EXPORT_WRITE_TIMEOUT", 30.0),
            shutdown_timeout=_whole_number(env, "SHUTDOWN_TIMEOUT", 30),
            log_level=env.get("LOG_LEVEL", "INFO").upper(),
            trusted_proxies=_trusted_proxies(env),
            redis_url=env.get("REDIS_URL") or None,
            report_limit=_rate_limit(env, "RATE_LIMIT_REPORTS", REPORT_LIMIT),
            tracking_limit=_rate_limit(env, "RATE_LIMIT_TRACKING", TRACKING_LIMIT),
            sign_in_failure_limit=_rate_limit(
                env, "RATE_LIMIT_SIGN_IN_FAILURES", SIGN_IN_FAILURE_LIMIT
            ),
            link_limit=_rate_limit(env, "RATE_LIMIT_LINKS", LINK_LIMIT),
            link_per_email_limit=_rate_limit(
                env, "RATE_LIMIT_LINKS_PER_EMAIL", LINK_PER_EMAIL_LIMIT
            ),
            open311_limit=_rate_limit(env, "RATE_LIMIT_OPEN311", OPEN311_LIMIT),
            sign_in_free_failures=_whole_number(env, "SIGN_IN_FREE_FAILURES", 5),
            sign_in_longest_wait=_whole_number(env, "SIGN_IN_LONGEST_WAIT", 900),
            password_hash_threads=_whole_number(env, "PASSWORD_HASH_THREADS", 2),
            smtp_url=_smtp_url(env),
            mail_from=env.get("MAIL_FROM") or "Schademelding Groningen <noreply@localhost>",
            outbox_lease=_seconds(env, "OUTBOX_LEASE", 300.0),
            webhook_allow_private=_flag(env, "WEBHOOK_ALLOW_PRIVATE"),
            webhook_allow_http=_flag(env, "WEBHOOK_ALLOW_HTTP"),
            metrics_token=_metrics_token(env),
            attachments_url=_attachments_url(env, data_dir),
            media_workers=_whole_number(env, "MEDIA_WORKERS", 2),
            retention_months=_whole_number(env, "RETENTION_MONTHS", DEFAULT_RETENTION_MONTHS),
        )


class SettingsError(ValueError):
    """An environment variable that cannot be used; the message says which and why."""


def _whole_number(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, "")
    if not raw.strip():
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, not {raw!r}") from None
    if value < 1:
        raise SettingsError(f"{name} must be at least 1, not {value}")
    return value


def _flag(env: Mapping[str, str], name: str) -> bool:
    """1, true, yes or on; 0, false, no, off or unset."""
    raw = env.get(name, "").strip().lower()
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("", "0", "false", "no", "off"):
        return False
    raise SettingsError(f"{name} must be 1 or 0, not {raw!r}")


def _rate_limit(env: Mapping[str, str], name: str, default: RateLimit | None) -> RateLimit | None:
    """COUNT/SECONDS, like 30/600 (30 in 10 minutes), or off."""
    raw = env.get(name, "").strip()
    if not raw:
        return default
    if raw.lower() == "off":
        return None
    count, _, seconds = raw.partition("/")
    try:
        limit = RateLimit(int(count), int(seconds))
    except ValueError:
        raise SettingsError(
            f"{name} must be COUNT/SECONDS (like 30/600) or off, not {raw!r}"
        ) from None
    if limit.count < 1 or limit.seconds < 1:
        raise SettingsError(f"{name} needs a count and seconds of at least 1, not {raw!r}")
    return limit


def _smtp_url(env: Mapping[str, str]) -> str | None:
    from service.notifications.transport import SmtpTransport, SmtpUrlError

    raw = env.get("SMTP_URL", "").strip()
    if not raw:
        return None
    try:
        SmtpTransport(raw)
    except (SmtpUrlError, ValueError) as error:  # ValueError: a port that is no number
        raise SettingsError(
            str(error)
            if isinstance(error, SmtpUrlError)
            else "SMTP_URL has a port that is no number"
        ) from None
    return raw


def _metrics_token(env: Mapping[str, str]) -> str | None:
    raw = env.get("METRICS_TOKEN", "").strip()
    if not raw:
        return None
    # What fits in an Authorization header as it is, and too long to guess.
    if len(raw) < 16 or not all("!" <= character <= "~" for character in raw):
        raise SettingsError(
            "METRICS_TOKEN must be at least 16 characters without spaces (letters, digits, "
            "punctuation), like the output of: python3 -c 'import secrets; "
            "print(secrets.token_urlsafe(32))'"
        )
    return raw


def _attachments_url(env: Mapping[str, str], data_dir: Path) -> str | None:
    from service.attachments.storage import open_storage

    raw = env.get("ATTACHMENTS_URL", "").strip()
    if not raw:
        return None
    try:
        open_storage(raw, data_dir)
    except ValueError as error:
        raise SettingsError(str(error)) from None
    return raw


def _trusted_proxies(env: Mapping[str, str]) -> tuple[str, ...]:
    """Comma-separated addresses or networks (10.0.0.0/8), or none."""
    raw = env.get("TRUSTED_PROXIES", "").strip()
    if not raw:
        return LOCAL_PROXIES
    if raw.lower() == "none":
        return ()
    proxies = tuple(part.strip() for part in raw.split(",") if part.strip())
    for proxy in proxies:
        try:
            ipaddress.ip_network(proxy)
        except ValueError:
            raise SettingsError(
                f"TRUSTED_PROXIES holds {proxy!r}, which is no IP address or network"
            ) from None
    return proxies


def _pool_sizes(env: Mapping[str, str]) -> tuple[int, int]:
    largest = _whole_number(env, "DB_POOL_MAX", DEFAULT_POOL_MAX)
    # A DB_POOL_MAX below the default DB_POOL_MIN takes the minimum down with it.
    smallest = _whole_number(env, "DB_POOL_MIN", min(DEFAULT_POOL_MIN, largest))
    if smallest > largest:
        raise SettingsError(
            f"DB_POOL_MIN ({smallest}) is more than DB_POOL_MAX ({largest}): a pool cannot keep "
            "more connections open than it may have"
        )
    return smallest, largest


def _seconds(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name, "")
    if not raw.strip():
        return default
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a number of seconds, not {raw!r}") from None
    if not 0 < value < float("inf"):
        raise SettingsError(f"{name} must be more than 0 seconds, not {raw}")
    return value


def _local_secret(data_dir: Path) -> str:
    """A secret kept in the data folder, for a single machine without SECRET_KEY."""
    path = data_dir / "secret_key"
    data_dir.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass  # made earlier, or by a process starting beside this one
    else:
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(32))
    return path.read_text().strip()
