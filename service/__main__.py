"""Command line: python -m service <command>; `python -m service --help` lists every command."""

import argparse
import asyncio
import contextlib
import getpass
import logging
import os
import signal
import subprocess
import sys
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import asyncpg

from service import db
from service.cli_table import format_table
from service.domain.roles import Role
from service.metrics.shared_dir import metrics_shared_by
from service.settings import Settings, SettingsError

logger = logging.getLogger("service")


def _run(settings: Settings, job: Callable[[asyncpg.Connection], Awaitable[Any]]) -> Any:
    """Run job on one connection to the configured (or embedded) database."""
    url = db.resolve_database_url(settings.database_url, settings.data_dir)

    async def main() -> Any:
        connection = await db.reach(url)
        try:
            return await job(connection)
        finally:
            await connection.close()

    return asyncio.run(main())


def cmd_migrate(settings: Settings, _: argparse.Namespace) -> int:
    applied = _run(settings, db.migrate)
    print(f"applied {len(applied)} migration(s): {', '.join(applied)}" if applied else "up to date")
    return 0


def cmd_seed_demo(settings: Settings, _: argparse.Namespace) -> int:
    from service.attachments.storage import open_storage
    from service.demo.seed import seed_demo

    async def job(connection: asyncpg.Connection) -> Any:
        await db.migrate(connection)
        storage = open_storage(settings.attachments_url, settings.data_dir)
        return await seed_demo(connection, settings.secret_key, storage=storage)

    summary = _run(settings, job)
    print(summary)
    return 0


def _emergency_phone(typed: str) -> str:
    """The number as typed, if it is a Dutch one (argparse says why not, with examples)."""
    from service.domain.phone_numbers import NotADutchPhoneNumber, dutch_phone_number

    try:
        return dutch_phone_number(typed).shown
    except NotADutchPhoneNumber as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def cmd_corporations_add(settings: Settings, args: argparse.Namespace) -> int:
    from service.corporations.store import CorporationExists, add_corporation

    async def job(connection: asyncpg.Connection) -> Any:
        return await add_corporation(
            connection, args.code, args.name, args.email, args.phone, args.emergency_phone
        )

    try:
        row = _run(settings, job)
    except CorporationExists as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except asyncpg.CheckViolationError:
        print(
            "error: the code must be lower-case letters, digits and dashes (like wold-en-waard), "
            "the name 1 to 200 characters, the email and phone well-formed",
            file=sys.stderr,
        )
        return 1
    print(f"added {row['code']} ({row['name']})")
    return 0


def cmd_corporations_emergency_phone(settings: Settings, args: argparse.Namespace) -> int:
    from service.corporations.store import set_emergency_phone

    number = None if args.remove else args.number

    async def job(connection: asyncpg.Connection) -> Any:
        return await set_emergency_phone(connection, args.code, number)

    if not _run(settings, job):
        print(f"error: no corporation with code {args.code!r}", file=sys.stderr)
        return 1
    print(
        f"{args.code}: emergency phone {number}"
        if number
        else f"{args.code}: no emergency phone (tenants are told to look in their contract)"
    )
    return 0


def cmd_corporations_list(settings: Settings, _: argparse.Namespace) -> int:
    from service.corporations.store import list_corporations

    rows = _run(settings, list_corporations)
    print(f"{'code':<24} {'homes':>8}  {'active':<6}  {'emergency':<20}  name")
    for row in rows:
        print(
            f"{row['code']:<24} {row['homes']:>8}  {'yes' if row['active'] else 'no':<6}  "
            f"{row['emergency_phone'] or '-':<20}  {row['name']}"
        )
    return 0


def cmd_portfolio_import(settings: Settings, args: argparse.Namespace) -> int:
    from service.portfolio.importer import ImportRejected, import_portfolio

    interactive = sys.stderr.isatty()

    def progress(rows: int) -> None:
        # One line rewritten in a terminal; a line each in a log.
        print(f"{rows:,} rows read", end="\r" if interactive else "\n", file=sys.stderr, flush=True)

    async def job(connection: asyncpg.Connection) -> Any:
        return await import_portfolio(connection, args.code, Path(args.file), progress=progress)

    try:
        summary = _run(settings, job)
    except ImportRejected as rejected:
        print(f"error: {rejected}", file=sys.stderr)
        for problem in rejected.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    print(summary)
    return 0


def cmd_users_add(settings: Settings, args: argparse.Namespace) -> int:
    from service.auth.secrets import hash_password
    from service.auth.store import UserError, add_user

    password_hash = None
    if args.password_prompt:
        password = getpass.getpass("Password (at least 12 characters): ")
        if len(password) < 12:
            print("error: a password has at least 12 characters", file=sys.stderr)
            return 1
        if getpass.getpass("Again: ") != password:
            print("error: the two passwords differ", file=sys.stderr)
            return 1
        password_hash = hash_password(password)

    async def job(connection: asyncpg.Connection) -> Any:
        return await add_user(
            connection,
            email=args.email.strip().lower(),
            name=args.name.strip(),
            role=args.role,
            corporation_code=args.corporation,
            password_hash=password_hash,
        )

    try:
        user = _run(settings, job)
    except UserError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except asyncpg.CheckViolationError:
        print(
            "error: inspectors and managers need --corporation, coordinators and admins have "
            "none; the email must be an email address and the name 1 to 200 characters",
            file=sys.stderr,
        )
        return 1
    where = f" at {user['corporation_code']}" if user["corporation_code"] else ""
    print(f"added {user['role']} {user['email']}{where} (id {user['id']})")
    return 0


def cmd_users_list(settings: Settings, _: argparse.Namespace) -> int:
    from service.auth.store import list_users

    rows = _run(settings, list_users)
    # The name goes last: it may hold spaces, and every column before it is one word.
    header = ("id", "email", "role", "corporation", "tokens", "active", "muted", "name")
    table = [
        (
            str(row["id"]),
            row["email"],
            row["role"],
            row["corporation_code"] or "-",
            str(row["tokens"]),
            "yes" if row["active"] else "no",
            ",".join(row["muted_notifications"]) or "-",
            row["name"],
        )
        for row in rows
    ]
    print(format_table(header, table, right_aligned=("id", "tokens")))
    return 0


def cmd_access_log(settings: Settings, args: argparse.Namespace) -> int:
    from service.domain.calendar import AMSTERDAM
    from service.domain.errors import NotFound
    from service.who_looked.listing import MAX_LIMIT, NO_USER, Of, contact_views
    from service.who_looked.store import user_id_by_email

    if not 1 <= args.limit <= MAX_LIMIT:
        print(f"error: --limit is 1 to {MAX_LIMIT}", file=sys.stderr)
        return 1

    async def job(connection: asyncpg.Connection) -> Any:
        if args.case:
            return await contact_views(
                connection, Of(reference=args.case.upper()), None, args.limit
            )
        user_id = await user_id_by_email(connection, args.user.strip())
        if user_id is None:
            raise NotFound(NO_USER)
        return await contact_views(connection, Of(user_id=user_id), None, args.limit)

    try:
        page = _run(settings, job)
    except NotFound as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    # The name goes last: it may hold spaces, and every column before it is one word.
    header = ("at", "case", "route", "masked", "email", "name")
    table = [
        (
            f"{view.at.astimezone(AMSTERDAM):%Y-%m-%d %H:%M:%S}",
            view.reference,
            view.route,
            "yes" if view.masked else "no",
            view.user.email,
            view.user.name,
        )
        for view in page.items
    ]
    print(format_table(header, table))
    if page.next_cursor:
        print(f"(the newest {args.limit}; --limit shows more)", file=sys.stderr)
    return 0


def cmd_users_deactivate(settings: Settings, args: argparse.Namespace) -> int:
    from service.auth.store import UserError, deactivate_user

    try:
        _run(settings, lambda connection: deactivate_user(connection, args.email))
    except UserError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"deactivated {args.email.lower()}; its tokens no longer work")
    return 0


def _mail_kinds(text: str) -> frozenset[str]:
    """KIND,KIND,...: kinds of staff e-mail (argparse type of --off and --on)."""
    from service.notifications.to_staff import SWITCHABLE

    kinds = frozenset(kind.strip() for kind in text.split(",") if kind.strip())
    unknown = sorted(kinds - set(SWITCHABLE))
    if unknown or not kinds:
        raise argparse.ArgumentTypeError(
            f"{', '.join(unknown) or 'nothing'}: give one or more of {', '.join(SWITCHABLE)}, "
            "separated by commas"
        )
    return kinds


def cmd_users_notifications(settings: Settings, args: argparse.Namespace) -> int:
    from service.notifications.to_staff import switch

    off: frozenset[str] = args.off or frozenset()
    on: frozenset[str] = args.on or frozenset()
    if off & on:
        print(f"error: {', '.join(sorted(off & on))} both --off and --on", file=sys.stderr)
        return 1
    muted = _run(settings, lambda connection: switch(connection, args.email, off, on))
    if muted is None:
        print(f"error: no user with email {args.email}", file=sys.stderr)
        return 1
    email = args.email.lower()
    print(
        f"{email} gets no e-mail of kind {', '.join(muted)}"
        if muted
        else f"{email} gets every kind of e-mail"
    )
    return 0


def cmd_tokens_create(settings: Settings, args: argparse.Namespace) -> int:
    from service.auth.secrets import api_token_hash, new_api_token
    from service.auth.store import UserError, create_token

    token = new_api_token()
    try:
        token_id = _run(
            settings,
            lambda connection: create_token(
                connection, args.email, api_token_hash(token), args.label
            ),
        )
    except UserError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"token {token_id} for {args.email.lower()} (shown only now; store it safely):")
    print(token)
    return 0


def cmd_tokens_revoke(settings: Settings, args: argparse.Namespace) -> int:
    from service.auth.store import UserError, revoke_token

    try:
        _run(settings, lambda connection: revoke_token(connection, args.id))
    except UserError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"revoked token {args.id}")
    return 0


def cmd_partners_add(settings: Settings, args: argparse.Namespace) -> int:
    from service.open311.partners import PartnerError, add_partner, new_api_key

    api_key = new_api_key()
    try:
        partner_id = _run(settings, lambda connection: add_partner(connection, args.name, api_key))
    except PartnerError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"Open311 partner {partner_id} {args.name.strip()!r}: its api_key (shown only now):")
    print(api_key)
    return 0


def cmd_partners_list(settings: Settings, _: argparse.Namespace) -> int:
    from service.open311.partners import list_partners

    rows = _run(settings, list_partners)
    header = ("id", "requests", "added", "revoked", "name")
    table = [
        (
            str(row["id"]),
            str(row["requests"]),
            row["created_at"].date().isoformat(),
            row["revoked_at"].date().isoformat() if row["revoked_at"] else "-",
            row["name"],
        )
        for row in rows
    ]
    print(format_table(header, table, right_aligned=("id", "requests")))
    return 0


def cmd_partners_revoke(settings: Settings, args: argparse.Namespace) -> int:
    from service.open311.partners import PartnerError, revoke_partner

    try:
        _run(settings, lambda connection: revoke_partner(connection, args.name))
    except PartnerError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"revoked the api_key of {args.name.strip()!r}; its requests stay")
    return 0


def cmd_worker(settings: Settings, args: argparse.Namespace) -> int:
    from datetime import timedelta

    from service.attachments.storage import open_storage
    from service.changes.pipeline import Pipeline
    from service.notifications import subscriber as notifications
    from service.notifications.delivery import Mailer
    from service.notifications.transport import transport_for
    from service.webhooks.sender import Sender
    from service.webhooks.urls import UrlPolicy
    from service.worker import run_forever, run_once

    url = db.resolve_database_url(settings.database_url, settings.data_dir)

    async def main() -> None:
        # SIGTERM or Ctrl-C: finish the round that runs, then stop.
        stop = asyncio.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            asyncio.get_running_loop().add_signal_handler(signum, stop.set)
        watch = asyncio.create_task(_stop_when_orphaned(args.parent, stop)) if args.parent else None
        connection = await db.reach(url)
        try:
            await db.migrate(connection)
        finally:
            await connection.close()
        pool = await db.create_pool(url, 1, 2, acquire_timeout=settings.db_acquire_timeout)
        pipeline = Pipeline(subscribers=(notifications.notify,))
        mailer = Mailer(
            transport_for(settings.smtp_url, settings.data_dir),
            settings.mail_from,
            settings.public_base_url,
            settings.secret_key,
            lease=timedelta(seconds=settings.outbox_lease),
        )
        sender = Sender(UrlPolicy.of(settings))
        storage = open_storage(settings.attachments_url, settings.data_dir)
        try:
            if args.once:
                done = await run_once(
                    pool, pipeline, mailer, sender, storage, settings.retention_months
                )
                print(
                    f"closed {done.closed} case(s), anonymised {done.anonymised}, forgot {done.keys_forgotten} idempotency "
                    f"key(s), sent {done.mail.sent} message(s), {done.mail.failed} failed, "
                    f"posted {done.webhooks.sent} webhook(s), {done.webhooks.failed} failed"
                )
            else:
                await run_forever(
                    pool,
                    pipeline,
                    args.interval,
                    stop,
                    mailer,
                    sender=sender,
                    storage=storage,
                    retention_months=settings.retention_months,
                )
        finally:
            await storage.close()
            await pool.close()
            if watch is not None:
                watch.cancel()

    asyncio.run(main())
    return 0


def cmd_outbox_list(settings: Settings, args: argparse.Namespace) -> int:
    from service.notifications.outbox import list_messages

    rows = _run(settings, lambda connection: list_messages(connection, failed_only=args.failed))
    print(f"{'id':<36}  {'status':<6} {'tries':>5}  {'next attempt (UTC)':<19}  {'kind':<12} error")
    for row in rows:
        print(
            f"{row['id']!s:<36}  {row['status']:<6} {row['attempts']:>5}  "
            f"{row['next_attempt_at']:%Y-%m-%d %H:%M:%S}  {row['kind']:<12} {row['last_error'] or '-'}"
        )
    return 0


def cmd_outbox_retry(settings: Settings, args: argparse.Namespace) -> int:
    import uuid
    from datetime import UTC, datetime

    from service.notifications.outbox import retry

    try:
        message_id = uuid.UUID(args.id)
    except ValueError:
        print(
            "error: a message id looks like 0b6f5e1c-8d7a-4b1e-9f3a-2c4d5e6f7a8b", file=sys.stderr
        )
        return 1
    if not _run(settings, lambda connection: retry(connection, message_id, datetime.now(UTC))):
        print(f"error: no failed message {message_id}", file=sys.stderr)
        return 1
    print(f"queued {message_id} again; the next worker round sends it")
    return 0


def cmd_webhooks_add(settings: Settings, args: argparse.Namespace) -> int:
    from datetime import UTC, datetime

    from service.corporations.store import corporation_id
    from service.webhooks import subscriptions
    from service.webhooks.signing import new_secret
    from service.webhooks.urls import UrlPolicy, UrlRefused, resolve

    try:
        kinds = subscriptions.event_kinds(args.events.split(","))
    except subscriptions.UnknownEventKind as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    secret = new_secret()

    async def job(connection: asyncpg.Connection) -> Any:
        corporation = await corporation_id(connection, args.corporation)
        if corporation is None:
            return None
        await resolve(args.url, UrlPolicy.of(settings))
        return await subscriptions.add(
            connection, corporation, args.url.strip(), secret, kinds, datetime.now(UTC)
        )

    try:
        row = _run(settings, job)
    except UrlRefused as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    if row is None:
        print(f"error: no corporation with code {args.corporation!r}", file=sys.stderr)
        return 1
    print(
        f"webhook {row['id']} for {row['corporation_code']}: {', '.join(row['event_kinds'])} "
        f"to {row['url']}"
    )
    print("signing secret (shown only now; give it to the receiver):")
    print(secret)
    return 0


def cmd_webhooks_list(settings: Settings, args: argparse.Namespace) -> int:
    from service.corporations.store import corporation_id
    from service.webhooks.subscriptions import list_subscriptions

    async def job(connection: asyncpg.Connection) -> Any:
        corporation = None
        if args.corporation:
            corporation = await corporation_id(connection, args.corporation)
            if corporation is None:
                return None
        return await list_subscriptions(connection, corporation)

    rows = _run(settings, job)
    if rows is None:
        print(f"error: no corporation with code {args.corporation!r}", file=sys.stderr)
        return 1
    print(f"{'id':>5}  {'corporation':<20} {'state':<8} {'queued':>6} {'failed':>6}  url  (events)")
    for row in rows:
        state = "on" if row["active"] else "off"
        if row["active"] and row["failing_since"] is not None:
            state = "failing"
        print(
            f"{row['id']:>5}  {row['corporation_code']:<20} {state:<8} {row['queued']:>6} "
            f"{row['failed']:>6}  {row['url']}  ({', '.join(row['event_kinds'])})"
        )
    return 0


def cmd_webhooks_change(settings: Settings, args: argparse.Namespace) -> int:
    from datetime import UTC, datetime

    from service.webhooks import subscriptions

    async def job(connection: asyncpg.Connection) -> bool:
        now = datetime.now(UTC)
        if args.action == "remove":
            return await subscriptions.remove(connection, args.id)
        if args.action == "disable":
            return await subscriptions.disable(connection, args.id, now)
        return await subscriptions.enable(connection, args.id, now)

    if not _run(settings, job):
        state = " that is on" if args.action == "disable" else ""
        print(f"error: no webhook {args.id}{state}", file=sys.stderr)
        return 1
    done = {"remove": "removed", "disable": "switched off", "enable": "switched on"}
    print(f"{done[args.action]} webhook {args.id}")
    return 0


def _database_in_words(settings: Settings) -> str:
    """Which database a command works on, without the password of DATABASE_URL."""
    if settings.database_url is None:
        return f"the embedded PostgreSQL in {settings.data_dir / 'postgres'}"
    parts = urlsplit(settings.database_url)
    host = parts.netloc.rpartition("@")[2]  # the part after user:password@
    return f"database {parts.path.lstrip('/') or '(default)'} on {host or 'the local socket'}"


def cmd_backup(settings: Settings, args: argparse.Namespace) -> int:
    from service.attachments.storage import open_storage
    from service.backups.backup import backup
    from service.backups.tools import BackupError

    url = db.resolve_database_url(settings.database_url, settings.data_dir)
    try:
        written = backup(
            url, Path(args.file), embedded=settings.database_url is None, connect=db.reach
        )
    except BackupError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(written)
    # Photos and documents are not in the database: they are copied on their own.
    storage = open_storage(settings.attachments_url, settings.data_dir)
    print(
        f"photos and documents are not in this file: they are in {storage.description}; "
        f"to back them up, {storage.copy_hint()}"
    )
    return 0


def cmd_restore(settings: Settings, args: argparse.Namespace) -> int:
    from service.backups.restore import restore
    from service.backups.tools import BackupError

    url = db.resolve_database_url(settings.database_url, settings.data_dir)
    try:
        restored = restore(
            url,
            Path(args.file),
            force=args.force,
            embedded=settings.database_url is None,
            target=_database_in_words(settings),
            say=lambda line: print(line, flush=True),
            connect=db.reach,
        )
    except BackupError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(restored)
    return 0


def cmd_serve(settings: Settings, args: argparse.Namespace) -> int:
    # uvicorn stops gracefully on SIGTERM, then raises it again, which by default would end
    # the process on the spot: before it left the embedded PostgreSQL. It exits normally.
    signal.signal(signal.SIGTERM, _exit_normally)
    if settings.database_url is not None:
        return _serve(settings, args, settings.database_url)
    from service import embedded

    server = embedded.join(settings.data_dir)
    try:
        with server.kept_running():  # started again if it dies while we serve
            return _serve(settings, args, server.url)
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a second SIGTERM: stopping already
        server.leave()  # and stopped, unless another process of ours uses it


def _exit_normally(signum: int, frame: object) -> None:
    raise SystemExit(0)


def _serve(settings: Settings, args: argparse.Namespace, url: str) -> int:
    from service.serve_preparation import prepare_in_child

    host = args.host or settings.host
    port = args.port or settings.port
    workers = args.workers or settings.workers
    base_url = os.environ.get("PUBLIC_BASE_URL", f"http://{host}:{port}").rstrip("/")
    demo_lines = prepare_in_child(settings, url, base_url, seed_demo=not args.no_demo)
    # Worker processes build their app from the environment: hand them the same database.
    os.environ["DATABASE_URL"] = url
    os.environ["PUBLIC_BASE_URL"] = base_url
    os.environ["SECRET_KEY"] = settings.secret_key
    for line in demo_lines:
        print(line, flush=True)
    if settings.smtp_url is None:
        print(
            f"E-mail: no SMTP_URL, so the worker writes messages as .eml files in "
            f"{settings.data_dir / 'mail'}",
            flush=True,
        )
    print(f"Serving on http://{host}:{port}  (API docs: http://{host}:{port}/schema)", flush=True)
    jobs = None if args.no_worker else _start_worker()
    try:
        # Before uvicorn starts the workers: they count in files of one folder, added up at
        # /metrics.
        with metrics_shared_by(workers):
            _uvicorn_run(settings, host, port, workers)
    finally:
        if jobs is not None:
            _stop_worker(jobs, settings.shutdown_timeout)
    return 0


def _start_worker() -> subprocess.Popen[bytes]:
    """`worker` beside the server (same environment, so the same database), for one machine:
    e-mail goes out and resolved cases close without a second command."""
    return subprocess.Popen(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "service", "worker", "--parent", str(os.getpid())],
        env=os.environ.copy(),
    )


async def _stop_when_orphaned(parent: int, stop: asyncio.Event) -> None:
    """A worker that serve started stops when serve is gone, even killed with SIGKILL (which
    gives serve no chance to stop it): it would go on working a database nobody serves."""
    while not stop.is_set():
        if os.getppid() != parent:
            stop.set()
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), 1.0)


def _stop_worker(worker: subprocess.Popen[bytes], timeout: float) -> None:
    """SIGTERM lets it finish the round it is in; one that does not, within timeout, is killed."""
    worker.terminate()
    try:
        worker.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()


# What `serve` runs; bench/floor.py runs its bare app the same way.
APP_FACTORY = "service.app:app_from_environment"


def _uvicorn_run(
    settings: Settings, host: str, port: int, workers: int, app_factory: str = APP_FACTORY
) -> None:
    import uvicorn

    uvicorn.run(
        app_factory,
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level=settings.log_level.lower(),
        # uvicorn's access log prints query strings (addresses, tracking tokens);
        # the app logs each request itself without them.
        access_log=False,
        # The app believes X-Forwarded-For only from TRUSTED_PROXIES (service/client_address.py).
        proxy_headers=False,
        server_header=False,  # no "server: uvicorn" banner to tell an attacker what runs here
        # Requests in flight when it stops get this long to finish.
        timeout_graceful_shutdown=settings.shutdown_timeout,
    )


def commands_of(parser: argparse.ArgumentParser) -> Iterator[tuple[str, str]]:
    """Every command the parser runs, as ("users add", its help line), in the parser's order."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            # Only commands added with help= have a help line; the others show an empty one.
            helps = {choice.dest: choice.help or "" for choice in action._choices_actions}
            for name, sub in action.choices.items():
                nested = [(f"{name} {command}", line) for command, line in commands_of(sub)]
                yield from nested or [(name, helps.get(name, ""))]


def _describe_commands(parser: argparse.ArgumentParser) -> str:
    """The top-level help text: one line per command, from the parser itself."""
    commands = list(commands_of(parser))
    width = max(len(name) for name, _ in commands) + 2
    lines = [f"  {name:<{width}}{line}" for name, line in commands]
    return "\n".join(
        [
            "Case tracker for earthquake damage in Groningen's rented homes.",
            "",
            "commands:",
            *lines,
            "",
            "`python -m service <command> --help` shows a command's arguments.",
        ]
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m service",
        usage="%(prog)s [-h] <command> ...",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    # The commands are listed in the description, one line each (argparse's own list
    # wraps long help lines and shows only the first word of "users add").
    commands = parser.add_subparsers(
        dest="command",
        required=True,
        metavar="<command>",
        help=argparse.SUPPRESS,
        prog=parser.prog,  # so a command's usage reads "python -m service users add ..."
    )

    serve = commands.add_parser("serve", help="apply migrations, load demo data if empty, serve")
    serve.add_argument("--host", help="address to listen on (default: HOST or 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port (default: PORT or 8000)")
    serve.add_argument("--workers", type=int, help="worker processes (default: WORKERS or 1)")
    serve.add_argument("--no-demo", action="store_true", help="do not load demo data")
    serve.add_argument(
        "--no-worker",
        action="store_true",
        help="do not start a `worker` beside the server (run it yourself, e.g. several)",
    )
    serve.set_defaults(handler=cmd_serve)

    commands.add_parser("migrate", help="apply pending migrations").set_defaults(
        handler=cmd_migrate
    )
    worker = commands.add_parser(
        "worker",
        help="background jobs: e-mail, webhooks, escalations, auto-close; run as many as you like",
    )
    worker.add_argument("--once", action="store_true", help="one round, then exit")
    worker.add_argument("--interval", type=float, default=60.0, help="seconds between rounds")
    # serve's own worker: stops when that process is gone (not for use by hand).
    worker.add_argument("--parent", type=int, help=argparse.SUPPRESS)
    worker.set_defaults(handler=cmd_worker)
    outbox = commands.add_parser("outbox", help="messages waiting to be sent, or that failed")
    outbox_commands = outbox.add_subparsers(dest="action", required=True)
    outbox_list = outbox_commands.add_parser("list", help="messages not sent (yet)")
    outbox_list.add_argument("--failed", action="store_true", help="only those that failed")
    outbox_list.set_defaults(handler=cmd_outbox_list)
    outbox_retry = outbox_commands.add_parser("retry", help="queue a failed message again")
    outbox_retry.add_argument("id", help="the message id (outbox list shows it)")
    outbox_retry.set_defaults(handler=cmd_outbox_retry)
    webhooks = commands.add_parser("webhooks", help="signed webhooks to corporations' systems")
    webhook_commands = webhooks.add_subparsers(dest="action", required=True)
    webhook_add = webhook_commands.add_parser(
        "add", help="send a corporation's case events to a URL (prints the secret once)"
    )
    webhook_add.add_argument("corporation", help="corporation code")
    webhook_add.add_argument("url", help="https://... (the receiver)")
    webhook_add.add_argument(
        "--events",
        required=True,
        help="comma-separated event kinds, like routed,status_changed",
    )
    webhook_add.set_defaults(handler=cmd_webhooks_add)
    webhook_list = webhook_commands.add_parser("list", help="webhooks and what they have queued")
    webhook_list.add_argument("--corporation", help="only this corporation's")
    webhook_list.set_defaults(handler=cmd_webhooks_list)
    for action, line in (
        ("remove", "remove a webhook with what it had still to send"),
        ("disable", "switch a webhook off (its messages wait)"),
        ("enable", "switch a webhook on; what it gave up on is sent again, in order"),
    ):
        change = webhook_commands.add_parser(action, help=line)
        change.add_argument("id", type=int, help="the webhook's id (webhooks list shows it)")
        change.set_defaults(handler=cmd_webhooks_change)
    commands.add_parser(
        "seed-demo", help="load demo corporations, a synthetic portfolio and sample cases"
    ).set_defaults(handler=cmd_seed_demo)

    corporations = commands.add_parser("corporations", help="housing corporations")
    corp_commands = corporations.add_subparsers(dest="action", required=True)
    add = corp_commands.add_parser("add", help="add a corporation")
    add.add_argument("code", help="short slug, like lefier")
    add.add_argument("name", help="full name, like 'Lefier'")
    add.add_argument("--email")
    add.add_argument("--phone")
    add.add_argument(
        "--emergency-phone",
        metavar="NUMBER",
        type=_emergency_phone,
        help="the number tenants call when the home is unsafe, at any hour (like 088-123 4567)",
    )
    add.set_defaults(handler=cmd_corporations_add)
    emergency = corp_commands.add_parser(
        "emergency-phone", help="set or remove the number tenants call when the home is unsafe"
    )
    emergency.add_argument("code", help="corporation code")
    number = emergency.add_mutually_exclusive_group(required=True)
    number.add_argument(
        "number", nargs="?", type=_emergency_phone, help="a Dutch number, like 088-123 4567"
    )
    number.add_argument("--remove", action="store_true", help="remove the number")
    emergency.set_defaults(handler=cmd_corporations_emergency_phone)
    corp_commands.add_parser("list", help="list corporations").set_defaults(
        handler=cmd_corporations_list
    )

    portfolio = commands.add_parser("portfolio", help="the address register")
    portfolio_commands = portfolio.add_subparsers(dest="action", required=True)
    imp = portfolio_commands.add_parser("import", help="import a corporation's homes from CSV")
    imp.add_argument("code", help="corporation code")
    imp.add_argument(
        "file",
        help="CSV with header bag_id,postcode,house_number,house_letter,"
        "addition,street,city,municipality_code,lat,lon",
    )
    imp.set_defaults(handler=cmd_portfolio_import)

    users = commands.add_parser("users", help="staff accounts")
    user_commands = users.add_subparsers(dest="action", required=True)
    add_user = user_commands.add_parser("add", help="add a staff user")
    add_user.add_argument("--email", required=True)
    add_user.add_argument("--name", required=True)
    add_user.add_argument("--role", required=True, choices=[r.value for r in Role])
    add_user.add_argument("--corporation", help="corporation code (inspectors and managers)")
    add_user.add_argument(
        "--password-prompt", action="store_true", help="ask for a password for the web pages"
    )
    add_user.set_defaults(handler=cmd_users_add)
    user_commands.add_parser("list", help="list staff users").set_defaults(handler=cmd_users_list)
    deactivate = user_commands.add_parser("deactivate", help="stop a user signing in")
    deactivate.add_argument("email")
    deactivate.set_defaults(handler=cmd_users_deactivate)
    notifications = user_commands.add_parser(
        "notifications", help="switch kinds of e-mail off or on for a user (on leave)"
    )
    notifications.add_argument("email")
    notifications.add_argument(
        "--off", type=_mail_kinds, metavar="KINDS", help="assigned,tenant_message,escalation,digest"
    )
    notifications.add_argument("--on", type=_mail_kinds, metavar="KINDS", help="the same kinds")
    notifications.set_defaults(handler=cmd_users_notifications)

    access_log = commands.add_parser(
        "access-log", help="who looked at reporters' contact details, per case or per user"
    )
    whose = access_log.add_mutually_exclusive_group(required=True)
    whose.add_argument("--case", metavar="REF", help="a case reference, like SCH-2026-000042")
    whose.add_argument("--user", metavar="EMAIL", help="a staff member's e-mail address")
    access_log.add_argument("--limit", type=int, default=100, help="the newest N (default 100)")
    access_log.set_defaults(handler=cmd_access_log)

    tokens = commands.add_parser("tokens", help="API tokens of staff users")
    token_commands = tokens.add_subparsers(dest="action", required=True)
    create = token_commands.add_parser("create", help="make an API token (printed once)")
    create.add_argument("email")
    create.add_argument("--label", default="", help="what the token is for")
    create.set_defaults(handler=cmd_tokens_create)
    revoke = token_commands.add_parser("revoke", help="revoke an API token")
    revoke.add_argument("id", type=int)
    revoke.set_defaults(handler=cmd_tokens_revoke)
    partners = commands.add_parser("partners", help="Open311 partners and their api_keys")
    partner_commands = partners.add_subparsers(dest="action", required=True)
    add_partner = partner_commands.add_parser(
        "add", help="add a partner (its api_key printed once)"
    )
    add_partner.add_argument("name")
    add_partner.set_defaults(handler=cmd_partners_add)
    partner_commands.add_parser("list", help="partners and their requests").set_defaults(
        handler=cmd_partners_list
    )
    revoke_partner = partner_commands.add_parser("revoke", help="stop a partner's api_key")
    revoke_partner.add_argument("name")
    revoke_partner.set_defaults(handler=cmd_partners_revoke)
    backup = commands.add_parser(
        "backup", help="write the whole database to FILE with pg_dump (works while serving)"
    )
    backup.add_argument("file", help="the backup file to write (replaced when complete)")
    backup.set_defaults(handler=cmd_backup)
    restore = commands.add_parser(
        "restore", help="replace the database's contents with a backup (stop the service first)"
    )
    restore.add_argument("file", help="a file written by `backup`")
    restore.add_argument(
        "--force", action="store_true", help="replace a database that already holds data"
    )
    restore.set_defaults(handler=cmd_restore)
    parser.description = _describe_commands(parser)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = Settings.from_env()
    except SettingsError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    logging.basicConfig(level=settings.log_level, format="%(levelname)s %(name)s %(message)s")
    try:
        return args.handler(settings, args)
    except (db.MigrationError, db.DatabaseUnreachable) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
