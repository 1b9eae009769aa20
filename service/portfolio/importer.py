"""Import a corporation's homes into the portfolio register from CSV.

`python -m service portfolio import CODE FILE.csv`. The file is all or nothing:
every row is checked in one streaming pass (each bad line is reported with its
number and reason), the good rows stream through COPY into a temporary staging
table, and a few set-based statements then insert, update or move the homes in
`addresses`, all in one transaction. One bad line rejects the whole file and
leaves the register as it was.
"""

import csv
import re
from collections.abc import Callable, Iterator, Sequence
from operator import getitem
from pathlib import Path
from typing import IO, Any

import msgspec

from service.corporations import store as corporations
from service.db import Connection
from service.domain.addresses import (
    MAX_HOUSE_NUMBER,
    AddressError,
    format_postcode,
    normalise_addition,
    normalise_bag_id,
    normalise_house_letter,
    normalise_house_number,
    normalise_municipality_code,
    normalise_postcode,
)

HEADER = (
    "bag_id",
    "postcode",
    "house_number",
    "house_letter",
    "addition",
    "street",
    "city",
    "municipality_code",
    "lat",
    "lon",
)
PROGRESS_EVERY = 10_000
MAX_STREET_LENGTH = 200
MAX_CITY_LENGTH = 100

DECIMAL_PATTERN = re.compile(r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$")
# Control characters cannot be part of a street or city name; lone surrogates
# are bytes that were not UTF-8 (the file is read with surrogateescape).
BAD_TEXT_PATTERN = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
NOT_UTF8_PATTERN = re.compile("[\ud800-\udfff]")

STAGING_TABLE = "portfolio_import_rows"
STAGING_COLUMNS = ("line", *HEADER)


class ImportSummary(msgspec.Struct, frozen=True):
    """What an import did, per home in the file."""

    corporation: str
    inserted: int = 0
    updated: int = 0  # same corporation, some field changed
    moved: int = 0  # belonged to another corporation, now to this one
    unchanged: int = 0

    @property
    def total(self) -> int:
        return self.inserted + self.updated + self.moved + self.unchanged

    def __str__(self) -> str:
        return (
            f"{self.corporation}: {self.inserted:,} inserted, {self.updated:,} updated, "
            f"{self.moved:,} moved from another corporation, {self.unchanged:,} unchanged"
        )


class ImportRejected(Exception):
    """The file was not imported, and nothing changed; `problems` says why, line by line."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)  # str(rejected) is the message
        self.message = message
        self.problems = problems or []

    @classmethod
    def bad_lines(cls, problems: list[str], lines: set[int]) -> "ImportRejected":
        count = len(lines)
        return cls(
            f"the file was not imported: {count:,} bad line{'' if count == 1 else 's'}; "
            "nothing was changed",
            problems,
        )


async def import_portfolio(
    connection: Connection,
    corporation_code: str,
    path: Path,
    progress: Callable[[int], None] | None = None,
) -> ImportSummary:
    """Insert, update or move to this corporation every home in the CSV file at path.

    Raises ImportRejected, changing nothing, for an unknown corporation, an
    unreadable file, a wrong header row or any bad line.
    """
    code = corporation_code.strip().lower()
    with _open_csv(path) as handle:
        reader = csv.reader(handle, strict=True)
        _check_header(reader, path)
        async with connection.transaction():
            owner = await corporations.corporation_id(connection, code)
            if owner is None:
                raise ImportRejected(
                    f"the file was not imported: there is no corporation with code {code!r} "
                    "(see: python -m service corporations list)"
                )
            await connection.execute(f"DROP TABLE IF EXISTS pg_temp.{STAGING_TABLE}")
            await connection.execute(
                f"""
                CREATE TEMP TABLE {STAGING_TABLE} (
                    line              integer NOT NULL,
                    bag_id            text,
                    postcode          text NOT NULL,
                    house_number      integer NOT NULL,
                    house_letter      text NOT NULL,
                    addition          text NOT NULL,
                    street            text NOT NULL,
                    city              text NOT NULL,
                    municipality_code text,
                    lat               double precision,
                    lon               double precision
                ) ON COMMIT DROP
                """
            )
            check = _RowChecker()
            await connection.copy_records_to_table(
                STAGING_TABLE,
                records=check.rows(reader, progress),
                columns=STAGING_COLUMNS,
            )
            if check.problems:
                raise ImportRejected.bad_lines(check.problems, check.bad_lines)
            if check.rows_read == 0:
                return ImportSummary(code)
            counts = await _apply(connection, owner)
            await connection.execute(f"DROP TABLE pg_temp.{STAGING_TABLE}")
    return ImportSummary(code, **counts)


# --- reading and checking the file -------------------------------------------


def _open_csv(path: Path) -> IO[str]:
    """The file as text; bytes that are not UTF-8 become lone surrogates, reported per line."""
    try:
        return open(path, encoding="utf-8-sig", errors="surrogateescape", newline="")
    except FileNotFoundError:
        raise ImportRejected(f"the file was not imported: {path} does not exist") from None
    except IsADirectoryError:
        raise ImportRejected(f"the file was not imported: {path} is a folder") from None
    except OSError as error:
        raise ImportRejected(
            f"the file was not imported: cannot read {path}: {error.strerror}"
        ) from None


def _check_header(reader: Any, path: Path) -> None:
    expected = ",".join(HEADER)
    try:
        header = next(reader, None)
    except csv.Error as error:
        raise ImportRejected(
            f"the file was not imported: line 1 must be the header {expected}",
            [f"line 1: {error}"],
        ) from None
    if header is None:
        raise ImportRejected(
            f"the file was not imported: {path} is empty; line 1 must be the header {expected}"
        )
    if tuple(header) == HEADER:
        return
    found = ",".join(header)
    problems = [f"expected: {expected}", f"found:    {_shorten(found, 300)}"]
    if len(header) == 1 and ";" in header[0]:
        problems.append("the columns are separated by ';': save the file as comma-separated CSV")
    raise ImportRejected(
        "the file was not imported: line 1 is not the expected header row", problems
    )


def _shorten(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _shown(raw: str) -> str:
    return repr(_shorten(raw))


def _text(field: str, limit: int) -> Callable[[str], str]:
    def normalise(raw: str) -> str:
        value = raw.strip()
        if not value:
            raise AddressError(field, "missing; every home needs one")
        if len(value) > limit:
            raise AddressError(field, f"at most {limit} characters, this has {len(value)}")
        bad = BAD_TEXT_PATTERN.search(value)
        if bad is not None:
            if NOT_UTF8_PATTERN.search(value):
                raise AddressError(field, "not UTF-8 text; save the file as UTF-8 (CSV UTF-8)")
            raise AddressError(field, f"contains the control character {bad.group()!r}")
        return value

    return normalise


def _house_number(raw: str) -> int:
    text = raw.strip()
    if not (text.isascii() and text.isdigit()):
        raise AddressError(
            "house_number", f"A house number is a whole number from 1 to {MAX_HOUSE_NUMBER}."
        )
    return normalise_house_number(int(text))


def _postcode(raw: str) -> str:
    if not raw.strip():
        raise AddressError("postcode", "missing; every home needs one")
    return normalise_postcode(raw)


def _optional(normalise: Callable[[str], str | None]) -> Callable[[str], str]:
    """Absent house letter and addition are stored as ''."""

    def wrapped(raw: str) -> str:
        return normalise(raw) or ""

    return wrapped


def _address_text(postcode: str, number: int, letter: str, addition: str) -> str:
    text = f"{format_postcode(postcode)} {number}{letter}"
    return f"{text}-{addition}" if addition else text


class _Field(dict[str, Any]):
    """One column: field[raw] is the normalised value, or AddressError when raw is bad.

    Good values are remembered. Postcodes, house numbers, letters, additions,
    streets, cities and municipality codes repeat a great deal within one
    portfolio, so most rows cost a dictionary look-up per column.
    """

    __slots__ = ("name", "normalise")

    def __init__(self, name: str, normalise: Callable[[str], Any]) -> None:
        super().__init__()
        self.name = name
        self.normalise = normalise

    def __missing__(self, raw: str) -> Any:
        """Not seen before, or bad: normalise it, remembering only a good value."""
        value = self[raw] = self.normalise(raw)
        return value


class _RowChecker:
    """Checks rows one by one, yielding staging records until the first bad line.

    After a bad line it keeps reading, to report every bad line, but stops
    yielding: the file will be rejected anyway.
    """

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.bad_lines: set[int] = set()
        self.rows_read = 0
        # The columns from postcode to municipality_code, in file order.
        self._fields = (
            _Field("postcode", _postcode),
            _Field("house_number", _house_number),
            _Field("house_letter", _optional(normalise_house_letter)),
            _Field("addition", _optional(normalise_addition)),
            _Field("street", _text("street", MAX_STREET_LENGTH)),
            _Field("city", _text("city", MAX_CITY_LENGTH)),
            _Field("municipality_code", normalise_municipality_code),
        )
        self._addresses: dict[tuple[str, int, str, str], int] = {}
        self._bag_ids: dict[str, int] = {}

    def problem(self, line: int, message: str) -> None:
        self.problems.append(f"line {line}: {message}")
        self.bad_lines.add(line)

    def rows(
        self, reader: Any, progress: Callable[[int], None] | None
    ) -> Iterator[tuple[Any, ...]]:
        line = reader.line_num
        try:
            for row in reader:
                line += 1  # where this record starts: a quoted field may span lines
                if row:  # else a blank line
                    self.rows_read += 1
                    record = self._check(line, row)
                    if record is not None and not self.problems:
                        yield record
                    if progress is not None and self.rows_read % PROGRESS_EVERY == 0:
                        progress(self.rows_read)
                line = reader.line_num
        except csv.Error as error:
            # The csv module cannot go on after malformed quoting.
            self.problem(line + 1, f"{error}; nothing after this line was read")
        if progress is not None and (self.rows_read % PROGRESS_EVERY or not self.rows_read):
            progress(self.rows_read)

    def _check(self, line: int, row: list[str]) -> tuple[Any, ...] | None:
        """The staging record for one row, or None after reporting its problems."""
        if len(row) != len(HEADER):
            self.problem(line, f"{len(row)} fields, expected {len(HEADER)} ({','.join(HEADER)})")
            return None
        raw_bag_id, *raw_fields, raw_lat, raw_lon = row
        # The usual case: every value seen before and good, a dictionary look-up each.
        try:
            postcode, number, letter, addition, street, city, municipality = map(
                getitem, self._fields, raw_fields
            )
            ok = True
        except AddressError:
            self._report_bad_fields(line, raw_fields)
            ok = False

        bag_id = None
        if raw_bag_id:  # unique per home: not worth remembering
            try:
                bag_id = normalise_bag_id(raw_bag_id)
            except AddressError as error:
                self.problem(line, f"bag_id {_shown(raw_bag_id)}: {error.message}")
                ok = False
            else:
                first = self._bag_ids.setdefault(bag_id, line)
                if first != line:
                    self.problem(line, f"bag_id {bag_id!r} is also on line {first}")
                    ok = False

        lat = lon = None
        if raw_lat or raw_lon:
            try:
                lat = float(raw_lat)
                lon = float(raw_lon)
            except ValueError:
                pass
            # float() also takes "nan", "1_0" and non-ASCII digits; the range
            # check refuses nan and inf.
            if (
                lat is None
                or lon is None
                or not -90.0 <= lat <= 90.0
                or not -180.0 <= lon <= 180.0
                or not (raw_lat + raw_lon).isascii()
                or "_" in raw_lat + raw_lon
            ):
                lat, lon = self._coordinates(line, raw_lat, raw_lon)
                ok = ok and lat is not None

        if not ok:
            return None
        first = self._addresses.setdefault((postcode, number, letter, addition), line)
        if first != line:
            self.problem(
                line,
                f"the address {_address_text(postcode, number, letter, addition)} "
                f"is also on line {first}",
            )
            return None
        return (
            line,
            bag_id,
            postcode,
            number,
            letter,
            addition,
            street,
            city,
            municipality,
            lat,
            lon,
        )

    def _report_bad_fields(self, line: int, raw_fields: Sequence[str]) -> None:
        """A problem for each bad value of the columns from postcode to municipality_code."""
        for field, raw in zip(self._fields, raw_fields, strict=True):
            try:
                field[raw]  # a look-up, or AddressError for a bad value
            except AddressError as error:
                shown = f" {_shown(raw)}" if raw.strip() else ""
                self.problem(line, f"{field.name}{shown}: {error.message}")

    def _coordinates(self, line: int, raw_lat: str, raw_lon: str) -> tuple[Any, Any]:
        """Both coordinates or neither, as numbers in range; (None, None) otherwise."""
        lat_text, lon_text = raw_lat.strip(), raw_lon.strip()
        if not (lat_text or lon_text):
            return None, None
        if not (lat_text and lon_text):
            self.problem(line, "lat and lon go together: give both or neither")
            return None, None
        lat = self._coordinate(line, "lat", raw_lat, lat_text, 90.0)
        lon = self._coordinate(line, "lon", raw_lon, lon_text, 180.0)
        return (lat, lon) if lat is not None and lon is not None else (None, None)

    def _coordinate(self, line: int, field: str, raw: str, text: str, limit: float) -> float | None:
        if DECIMAL_PATTERN.fullmatch(text):
            value = float(text)
            if -limit <= value <= limit:
                return value
            self.problem(line, f"{field} {_shown(raw)}: must be from {-limit:g} to {limit:g}")
            return None
        hint = "; use a decimal point, like 53.2194" if "," in text else ""
        self.problem(line, f"{field} {_shown(raw)}: not a number{hint}")
        return None


# --- applying the staged rows ------------------------------------------------


async def _apply(connection: Connection, corporation_id: int) -> dict[str, int]:
    """Upsert the staged rows into addresses; the counts per outcome."""
    await connection.execute("SET LOCAL work_mem = '128MB'")
    await connection.execute(f"ANALYZE {STAGING_TABLE}")
    # Other imports wait for this one; lookups (routing) go on.
    await connection.execute("LOCK TABLE addresses IN SHARE ROW EXCLUSIVE MODE")

    # A BAG id in the file may be held by another address in the register.
    # When that address is in the file too, the BAG id moves: clear it first,
    # since a unique constraint is checked row by row. Otherwise the line is bad.
    holders = await connection.fetch(
        f"""
        SELECT s.line, s.bag_id, a.id, a.postcode, a.house_number, a.house_letter, a.addition,
               EXISTS (
                   SELECT FROM {STAGING_TABLE} t
                   WHERE t.postcode = a.postcode AND t.house_number = a.house_number
                     AND t.house_letter = a.house_letter AND t.addition = a.addition
               ) AS in_file
        FROM {STAGING_TABLE} s
        JOIN addresses a ON a.bag_id = s.bag_id
        WHERE (a.postcode, a.house_number, a.house_letter, a.addition)
              <> (s.postcode, s.house_number, s.house_letter, s.addition)
        ORDER BY s.line
        """  # noqa: S608 - constant table name, no input
    )
    conflicts = [row for row in holders if not row["in_file"]]
    if conflicts:
        problems = [
            f"line {row['line']}: bag_id {row['bag_id']!r} belongs to another address in the "
            f"register, {_address_text(row['postcode'], row['house_number'], row['house_letter'], row['addition'])}"
            for row in conflicts
        ]
        raise ImportRejected.bad_lines(problems, {row["line"] for row in conflicts})
    cleared = [row["id"] for row in holders]
    if cleared:
        await connection.execute(
            "UPDATE addresses SET bag_id = NULL WHERE id = ANY($1::bigint[])", cleared
        )

    rows = await connection.fetch(
        f"""
        WITH matched AS MATERIALIZED (
            SELECT s.*, a.id AS address_id,
                   CASE
                       WHEN a.id IS NULL THEN 'inserted'
                       WHEN a.corporation_id <> $1 THEN 'moved'
                       WHEN a.id = ANY($2::bigint[])
                            OR a.bag_id IS DISTINCT FROM s.bag_id
                            OR a.street <> s.street
                            OR a.city <> s.city
                            OR a.municipality_code IS DISTINCT FROM s.municipality_code
                            OR a.lat IS DISTINCT FROM s.lat
                            OR a.lon IS DISTINCT FROM s.lon
                       THEN 'updated'
                       ELSE 'unchanged'
                   END AS outcome
            FROM {STAGING_TABLE} s
            LEFT JOIN addresses a
                   ON a.postcode = s.postcode AND a.house_number = s.house_number
                  AND a.house_letter = s.house_letter AND a.addition = s.addition
        ),
        inserted AS (
            INSERT INTO addresses (corporation_id, bag_id, postcode, house_number, house_letter,
                                   addition, street, city, municipality_code, lat, lon)
            SELECT $1, bag_id, postcode, house_number, house_letter,
                   addition, street, city, municipality_code, lat, lon
            FROM matched WHERE outcome = 'inserted'
        ),
        changed AS (
            UPDATE addresses a
            SET corporation_id = $1, bag_id = m.bag_id, street = m.street, city = m.city,
                municipality_code = m.municipality_code, lat = m.lat, lon = m.lon,
                updated_at = now()
            FROM matched m
            WHERE a.id = m.address_id AND m.outcome IN ('updated', 'moved')
        )
        SELECT outcome, count(*) AS homes FROM matched GROUP BY outcome
        """,  # noqa: S608 - constant table name, no input
        corporation_id,
        cleared,
    )
    counts = dict.fromkeys(("inserted", "updated", "moved", "unchanged"), 0)
    counts.update({row["outcome"]: row["homes"] for row in rows})
    return counts
