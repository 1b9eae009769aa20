"""Settings, read once from environment variables."""

import os
import secrets
from collections.abc import Mapping
from pathlib import Path

import msgspec


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
    pool_min_size: int = 2
    pool_max_size: int = 10
    # Seconds a request waits for a free database connection before it answers 503.
    db_acquire_timeout: float = 5.0
    # CSV exports at once per process (each on a connection of its own), and the seconds an
    # export waits for a client that reads nothing before it gives up.
    export_max_concurrent: int = 2
    export_write_timeout: float = 30.0
    # Seconds a stopping server lets requests in flight finish.
    shutdown_timeout: int = 30
    log_level: str = "INFO"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> "Settings":
        env = os.environ if environ is None else environ
        host = env.get("HOST", "127.0.0.1")
        port = _whole_number(env, "PORT", 8000)
        data_dir = Path(env.get("DATA_DIR", ".data"))
        return cls(
            database_url=env.get("DATABASE_URL") or None,
            data_dir=data_dir,
            host=host,
            port=port,
            workers=_whole_number(env, "WORKERS", 1),
            public_base_url=env.get("PUBLIC_BASE_URL", f"http://{host}:{port}").rstrip("/"),
            secret_key=env.get("SECRET_KEY") or _local_secret(data_dir),
            pool_min_size=_whole_number(env, "DB_POOL_MIN", 2),
            pool_max_size=_whole_number(env, "DB_POOL_MAX", 10),
            db_acquire_timeout=_seconds(env, "DB_ACQUIRE_TIMEOUT", 5.0),
            export_max_concurrent=_whole_number(env, "EXPORT_MAX_CONCURRENT", 2),
            export_write_timeout=_seconds(env, "EXPORT_WRITE_TIMEOUT", 30.0),
            shutdown_timeout=_whole_number(env, "SHUTDOWN_TIMEOUT", 30),
            log_level=env.get("LOG_LEVEL", "INFO").upper(),
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
