"""Everything held about a report, for its tenant in one download (AVG article 15, access).

A ZIP with melding.json (report.json in English) and the files the tenant may see: their own
photos and what staff shared with them, byte for byte as the tracking page serves them.

What is in it: the case as the tenant reported it and follows it (address, category,
description, status, dates, deadlines, corporation), the reporter's details, the public
timeline (status moves with their dates, the tenant's additions, the notes staff wrote for
the tenant) and the attachments the tenant sees. What is not: internal staff notes,
inspection findings, the history's internal events and files staff did not share. The rule
is the tracking page's, plus the reporter's details: the tenant gets what the service shows
them, complete and in one go. Notes staff keep about the tenant are asked for by a written
request to the corporation, which weighs the exceptions article 23 allows (README, "Access
and the record of who looked").

The ZIP is written in a worker thread into a temporary file that stays in memory up to
SPOOL_BYTES, and streamed from there; no database connection is held while the objects are
read from storage.
"""

import tempfile
import zipfile
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import IO

import anyio.to_thread
import asyncpg
import msgspec
from litestar.response import Stream

from service.attachments import store as attachment_store
from service.attachments.changes import VARIANTS, object_keys
from service.attachments.files import download_name
from service.attachments.kinds import Kind
from service.attachments.storage import ObjectMissing, ObjectStorage
from service.domain.addresses import format_postcode
from service.domain.calendar import AMSTERDAM
from service.domain.categories import Category, category_label
from service.domain.sla import Urgency
from service.domain.workflow import Status
from service.reports import store
from service.reports.schemas import DeadlinesOut, Language, TimelineEntry
from service.reports.tokens import token_matches
from service.reports.tracking import timeline_of

# Beyond this the ZIP goes to a temporary file on disk (deleted when the download ends).
SPOOL_BYTES = 16 * 2**20
CHUNK_BYTES = 64 * 2**10
# (Dutch, English): the names in the ZIP, and what it says about itself.
_JSON_NAME = ("melding.json", "report.json")
_PHOTOS = ("fotos", "photos")
_DOCUMENTS = ("documenten", "documents")
_ZIP_NAME = ("{reference}-uw-gegevens-{day}.zip", "{reference}-your-data-{day}.zip")
_ABOUT = (
    "Alles wat wij over uw melding bewaren en aan u laten zien: de melding, uw gegevens, de "
    "geschiedenis en de foto's en documenten die u kunt zien. Interne aantekeningen van "
    "medewerkers staan er niet in. Wilt u ook die zien? Vraag het de woningcorporatie.",
    "Everything we keep about your report and show you: the report, your details, its "
    "history and the photos and documents you can see. Staff's internal notes are not in "
    "it. Would you like to see those too? Ask the housing corporation.",
)


class AddressData(msgspec.Struct):
    postcode: str | None
    house_number: int | None
    house_letter: str | None
    addition: str | None
    street: str | None
    city: str | None


class ReporterData(msgspec.Struct):
    name: str | None
    email: str | None
    phone: str | None
    language: str


class ReportData(msgspec.Struct):
    reference: str
    status: Status
    category: Category
    category_label: str
    description: str | None
    acute: bool
    urgency: Urgency
    noticed_on: date | None
    address: AddressData
    corporation_name: str | None
    reported_at: datetime
    closed_at: datetime | None
    deadlines: DeadlinesOut
    planned_visit: datetime | None
    repaired_on: date | None


class FileData(msgspec.Struct):
    # Where the file is in the ZIP; null when its bytes are missing from storage.
    file: str | None
    kind: Kind
    content_type: str
    byte_size: int
    title: str | None
    added_at: datetime
    added_by_you: bool


class PersonalData(msgspec.Struct):
    about: str
    exported_at: datetime
    report: ReportData
    reporter: ReporterData
    timeline: list[TimelineEntry]
    attachments: list[FileData]


@dataclass(frozen=True)
class Gathered:
    """What the database holds, read on one connection and released before storage is."""

    case: asyncpg.Record
    events: list[asyncpg.Record]
    attachments: list[asyncpg.Record]
    language: Language


async def gather(
    pool: asyncpg.Pool, reference: str, token: str | None, language: Language | None
) -> Gathered | None:
    """None for an unknown reference and for a wrong token alike, as the tracking page.

    The texts are in `language` when given (the page's choice), else in the tenant's.
    """
    async with pool.acquire() as connection:
        case = await store.everything_of(connection, reference)
        if case is None or not token or not token_matches(token, case["tracking_token_hash"]):
            return None
        events = await store.public_events(connection, case["id"])
        attachments = await attachment_store.of_case(connection, case["id"], tenant_only=True)
    return Gathered(case, list(events), list(attachments), language or case["language"])


def _report(case: asyncpg.Record, language: Language) -> ReportData:
    return ReportData(
        reference=case["reference"],
        status=Status(case["status"]),
        category=case["category"],
        category_label=category_label(case["category"], language),
        description=case["description"],
        acute=case["acute"],
        urgency=case["urgency"],
        noticed_on=case["noticed_on"],
        address=AddressData(
            postcode=format_postcode(case["postcode"]) if case["postcode"] else None,
            house_number=case["house_number"],
            house_letter=case["house_letter"] or None,
            addition=case["addition"] or None,
            street=case["street"],
            city=case["city"],
        ),
        corporation_name=case["corporation_name"],
        reported_at=case["reported_at"].astimezone(UTC),
        closed_at=case["closed_at"].astimezone(UTC) if case["closed_at"] else None,
        deadlines=DeadlinesOut.of(case["acknowledge_by"], case["inspect_by"], case["resolve_by"]),
        planned_visit=case["planned_at"].astimezone(UTC) if case["planned_at"] else None,
        repaired_on=case["repaired_on"],
    )


def _name_in_zip(gathered: Gathered, row: asyncpg.Record, number: int) -> str:
    """fotos/01-SCH-...-foto-3f2a1b4c.jpg; numbered, so two documents of one title differ."""
    index = 1 if gathered.language == "en" else 0
    folder = (_PHOTOS if row["kind"] == Kind.PHOTO else _DOCUMENTS)[index]
    return f"{folder}/{number:02d}-{download_name(gathered.case['reference'], row)}"


def zip_name(reference: str, language: Language, now: datetime) -> str:
    day = now.astimezone(AMSTERDAM).date().isoformat()
    return _ZIP_NAME[1 if language == "en" else 0].format(reference=reference, day=day)


async def write_zip(storage: ObjectStorage, gathered: Gathered, now: datetime) -> IO[bytes]:
    """The ZIP in a temporary file, positioned at its start; the caller closes it."""
    index = 1 if gathered.language == "en" else 0
    spooled: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - closed by the stream
    try:
        archive = zipfile.ZipFile(spooled, "w")
        files = []
        for number, row in enumerate(gathered.attachments, 1):
            key = object_keys(row["id"], (VARIANTS[Kind(row["kind"])][0],))[0]
            try:
                data = await storage.get(key)
            except ObjectMissing:
                files.append(_file(row, None))
                continue
            name = _name_in_zip(gathered, row, number)
            # JPEG and PDF are compressed already: stored as they are.
            await anyio.to_thread.run_sync(archive.writestr, name, data)
            files.append(_file(row, name))
        personal = PersonalData(
            about=_ABOUT[index],
            exported_at=now.astimezone(UTC),
            report=_report(gathered.case, gathered.language),
            reporter=ReporterData(
                name=gathered.case["reporter_name"],
                email=gathered.case["reporter_email"],
                phone=gathered.case["reporter_phone"],
                language=gathered.case["language"],
            ),
            timeline=timeline_of(gathered.events, gathered.language),
            attachments=files,
        )
        document = msgspec.json.format(msgspec.json.encode(personal), indent=2)
        await anyio.to_thread.run_sync(_finish, archive, _JSON_NAME[index], document)
        spooled.seek(0)
    except BaseException:
        spooled.close()
        raise
    return spooled


def _file(row: asyncpg.Record, name: str | None) -> FileData:
    return FileData(
        file=name,
        kind=Kind(row["kind"]),
        content_type=row["content_type"],
        byte_size=row["byte_size"],
        title=row["title"],
        added_at=row["added_at"].astimezone(UTC),
        added_by_you=row["added_by"] is None,
    )


def _finish(archive: zipfile.ZipFile, json_name: str, document: bytes) -> None:
    archive.writestr(json_name, document, compress_type=zipfile.ZIP_DEFLATED)
    archive.close()


async def _chunks(file: IO[bytes]) -> AsyncIterator[bytes]:
    try:
        while chunk := await anyio.to_thread.run_sync(file.read, CHUNK_BYTES):
            yield chunk
    finally:
        file.close()


def zip_response(file: IO[bytes], filename: str) -> Stream:
    size = file.seek(0, 2)
    file.seek(0)
    return Stream(
        _chunks(file),
        media_type="application/zip",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Content-Length": str(size),
            # Personal data: kept by no cache, not even the browser's.
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )


async def download(
    pool: asyncpg.Pool,
    storage: ObjectStorage,
    reference: str,
    token: str | None,
    now: datetime,
    language: Language | None = None,
) -> Stream | None:
    """The tenant's download; None when the reference or the token is wrong."""
    gathered = await gather(pool, reference, token, language)
    if gathered is None:
        return None
    file = await write_zip(storage, gathered, now)
    return zip_response(file, zip_name(gathered.case["reference"], gathered.language, now))
