"""The synthetic portfolio: homes of the demo corporations, and addresses no corporation owns.

The homes are generated from a fixed seed, so every install gets the same register.
Loading is idempotent: corporations and homes that exist already are left alone.
"""

# Seeded generators on purpose: the demo must be reproducible, and nothing here is secret.
# ruff: noqa: S311

import math
from dataclasses import dataclass, field
from random import Random

from service.demo.places import (
    CITY_DISTRICT_OFFSET_KM,
    STREET_PREFIXES,
    STREET_SUFFIXES,
    STREET_WHOLE,
    TOWNS,
    Town,
)
from service.domain.addresses import NONEXISTENT_POSTCODE_LETTERS

PORTFOLIO_SEED = 20_260_001


@dataclass(frozen=True)
class Home:
    corporation_code: str
    bag_id: str | None
    postcode: str
    house_number: int
    house_letter: str
    addition: str
    street: str
    city: str
    municipality_code: str
    lat: float
    lon: float

    @property
    def key(self) -> tuple[str, int, str, str]:
        return (self.postcode, self.house_number, self.house_letter, self.addition)


@dataclass(frozen=True)
class PrivateHome:
    """A home in the region no corporation registered (owner-occupied or a private landlord)."""

    postcode: str
    house_number: int
    street: str
    city: str
    municipality_code: str


@dataclass(frozen=True)
class Portfolio:
    homes: list[Home]
    # Postcodes without any registered home: reports there end up unrouted.
    private_homes: list[PrivateHome]


# PostNL long left out F, I, O, Q, U and Y; older neighbourhoods still look like that.
_LETTERS = "ABCDEGHJKLMNPRSTVWXZ"
_POSTCODE_LETTERS = tuple(
    a + b for a in _LETTERS for b in _LETTERS if a + b not in NONEXISTENT_POSTCODE_LETTERS
)
_KM_PER_DEGREE_LAT = 111.2


@dataclass
class _Street:
    name: str
    north_km: float
    east_km: float
    angle: float
    next_number: dict[int, int] = field(default_factory=lambda: {1: 1, 0: 2})


def generate_portfolio(seed: int = PORTFOLIO_SEED) -> Portfolio:
    """The synthetic register: the same homes for the same seed, on every machine."""
    rng = Random(seed)
    homes: list[Home] = []
    private: list[PrivateHome] = []
    bag_counters: dict[str, int] = {}
    for town in TOWNS:
        _town_homes(town, rng, homes, private, bag_counters)
    return Portfolio(homes, private)


def _street_names(rng: Random) -> list[str]:
    names = {*STREET_WHOLE, *(p + s for p in STREET_PREFIXES for s in STREET_SUFFIXES)}
    ordered = sorted(names)
    rng.shuffle(ordered)
    return ordered


def _town_homes(
    town: Town,
    rng: Random,
    homes: list[Home],
    private: list[PrivateHome],
    bag_counters: dict[str, int],
) -> None:
    names = iter(_street_names(rng))
    owners = [code for code, _ in town.owners]
    weights = [weight for _, weight in town.owners]
    streets: dict[str, _Street | None] = dict.fromkeys(town.areas)
    next_pair = {area: rng.randint(0, 3) for area in town.areas}
    made = 0
    turn = 0
    while made < town.homes:
        area = town.areas[turn % len(town.areas)]
        turn += 1
        street = streets[area]
        if street is None or rng.random() < 0.3:
            north, east = CITY_DISTRICT_OFFSET_KM.get(area[:3], (0.0, 0.0))
            if town.name != "Groningen":
                north = east = 0.0
            street = _Street(
                name=next(names),
                north_km=north + rng.gauss(0, town.radius_km / 2),
                east_km=east + rng.gauss(0, town.radius_km / 2),
                angle=rng.uniform(0, math.pi),
            )
            streets[area] = street
        if next_pair[area] >= len(_POSTCODE_LETTERS):
            raise RuntimeError(f"postcode area {area} is full; lower the homes of {town.name}")
        postcode = area + _POSTCODE_LETTERS[next_pair[area]]
        next_pair[area] += rng.randint(1, 3)
        parity = rng.randint(0, 1)

        if rng.random() < 0.2:
            # Owner-occupied homes: a postcode with no registered home at all.
            for _ in range(rng.randint(6, 16)):
                number = street.next_number[parity]
                street.next_number[parity] += 2
                private.append(
                    PrivateHome(postcode, number, street.name, town.name, town.municipality_code)
                )
            continue

        units = _units(rng, street, parity, flats=rng.random() < town.flats)
        owner = rng.choices(owners, weights)[0]
        split = len(units) if rng.random() > 0.15 else rng.randint(1, len(units) - 1)
        other = rng.choices(owners, weights)[0]
        for index, (number, letter, addition) in enumerate(units):
            lat, lon = _position(town, street, number, parity, rng)
            counter = bag_counters.get(town.municipality_code, 0) + rng.randint(1, 9)
            bag_counters[town.municipality_code] = counter
            bag_id = (
                f"{town.municipality_code[2:]}01{9_000_000_000 + counter:010d}"
                if rng.random() < 0.97
                else None
            )
            homes.append(
                Home(
                    corporation_code=owner if index < split else other,
                    bag_id=bag_id,
                    postcode=postcode,
                    house_number=number,
                    house_letter=letter,
                    addition=addition,
                    street=street.name,
                    city=town.name,
                    municipality_code=town.municipality_code,
                    lat=lat,
                    lon=lon,
                )
            )
        made += len(units)


def _units(rng: Random, street: _Street, parity: int, *, flats: bool) -> list[tuple[int, str, str]]:
    """(house number, letter, addition) of the homes under one postcode."""
    units: list[tuple[int, str, str]] = []
    if not flats:
        # A row of family homes, one side of the street; now and then a 12A beside 12.
        for _ in range(rng.randint(6, 18)):
            number = street.next_number[parity]
            street.next_number[parity] += 2
            roll = rng.random()
            if roll < 0.04:
                units += [(number, "A", ""), (number, "B", "")]
            elif roll < 0.09:
                units += [(number, "", ""), (number, "A", "")]
            else:
                units.append((number, "", ""))
        return units
    style = rng.random()
    number = street.next_number[parity]
    if style < 0.45:
        # A block of flats under one number: 120-1, 120-2, ...
        street.next_number[parity] += 2
        prefix = "" if rng.random() < 0.8 else rng.choice("ABC")
        units = [(number, "", f"{prefix}{i}") for i in range(1, rng.randint(6, 24) + 1)]
    elif style < 0.65:
        # Upstairs and downstairs homes with letters: 34A, 34B, ...
        for _ in range(rng.randint(3, 8)):
            number = street.next_number[parity]
            street.next_number[parity] += 2
            units += [(number, letter, "") for letter in "ABCD"[: rng.randint(2, 4)]]
    else:
        # A gallery flat numbered straight through: 201, 202, ... 236.
        start = (max(street.next_number.values()) // 100 + 1) * 100 + 1
        count = rng.randint(12, 40)
        units = [(start + i, "", "") for i in range(count)]
        # The flat takes both sides' numbers; the street goes on after it.
        after = start + count
        for side in (0, 1):
            street.next_number[side] = max(street.next_number[side], after + (after - side) % 2)
    return units


def _position(
    town: Town, street: _Street, number: int, parity: int, rng: Random
) -> tuple[float, float]:
    along = (number % 200) * 0.006
    side = 0.012 if parity else -0.012
    north = street.north_km + along * math.sin(street.angle) + side * math.cos(street.angle)
    east = street.east_km + along * math.cos(street.angle) - side * math.sin(street.angle)
    north += rng.gauss(0, 0.004)
    east += rng.gauss(0, 0.004)
    lat = town.lat + north / _KM_PER_DEGREE_LAT
    lon = town.lon + east / (_KM_PER_DEGREE_LAT * math.cos(math.radians(town.lat)))
    return round(lat, 6), round(lon, 6)
