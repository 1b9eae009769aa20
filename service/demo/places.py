"""Who and where: the region's corporations, municipalities and towns, and street names.

The corporations, municipalities (CBS codes), towns and their 4-digit postcode
areas are real; which corporation owns how much where is plausible, not exact.
Homes, streets per postcode and house numbers are generated from this table.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Corporation:
    code: str
    name: str


# Contact addresses are deliberately on example.nl: demo data must never mail a real office.
CORPORATIONS: tuple[Corporation, ...] = (
    Corporation("lefier", "Lefier"),
    Corporation("wierden-en-borgen", "Wierden en Borgen"),
    Corporation("acantus", "Acantus"),
    Corporation("groninger-huis", "Groninger Huis"),
    Corporation("nijestee", "Nijestee"),
    Corporation("patrimonium", "Patrimonium"),
    Corporation("de-huismeesters", "De Huismeesters"),
    Corporation("goud-wonen", "Goud Wonen"),
    Corporation("woonzorg-nederland", "Woonzorg Nederland"),
    Corporation("wold-en-waard", "Wold & Waard"),
)


def corporation_email(code: str) -> str:
    return f"schade.{code}@example.nl"


def corporation_emergency_phone(code: str) -> str | None:
    """A made-up number (088-000 00 followed by the corporation's place in the list), shown on
    an acute report's confirmation; Goud Wonen has none, so the demo shows that text too."""
    if code == "goud-wonen":
        return None
    number = [c.code for c in CORPORATIONS].index(code) + 1
    return f"088-000 00 {number:02d}"


MUNICIPALITIES: dict[str, str] = {
    "GM0014": "Groningen",
    "GM1966": "Het Hogeland",
    "GM1979": "Eemsdelta",
    "GM1952": "Midden-Groningen",
    "GM1895": "Oldambt",
    "GM1969": "Westerkwartier",
    "GM0047": "Veendam",
    "GM0765": "Pekela",
    "GM0037": "Stadskanaal",
    "GM1950": "Westerwolde",
}


@dataclass(frozen=True)
class Town:
    name: str
    municipality_code: str
    areas: tuple[str, ...]  # 4-digit postcode areas
    lat: float
    lon: float
    radius_km: float
    homes: int  # corporation homes to generate
    owners: tuple[tuple[str, int], ...]  # (corporation code, weight)
    flats: float = 0.2  # share of postcodes that are blocks of flats


TOWNS: tuple[Town, ...] = (
    # Groningen: the city, with Haren and Ten Boer (merged into the municipality in 2019).
    Town(
        "Groningen",
        "GM0014",
        (
            *(f"971{d}" for d in range(1, 9)),
            *(f"972{d}" for d in range(1, 9)),
            *(f"973{d}" for d in range(1, 9)),
            *(f"974{d}" for d in range(1, 8)),
        ),
        53.2194,
        6.5665,
        1.6,
        8200,
        (
            ("nijestee", 34),
            ("lefier", 24),
            ("de-huismeesters", 20),
            ("patrimonium", 14),
            ("woonzorg-nederland", 5),
            ("groninger-huis", 3),
        ),
        flats=0.5,
    ),
    Town(
        "Haren",
        "GM0014",
        ("9751", "9752"),
        53.1733,
        6.6053,
        1.2,
        650,
        (("lefier", 55), ("nijestee", 25), ("woonzorg-nederland", 20)),
        flats=0.3,
    ),
    Town("Ten Boer", "GM0014", ("9791",), 53.2760, 6.6935, 0.6, 450, (("wold-en-waard", 100),)),
    # Het Hogeland
    Town(
        "Bedum",
        "GM1966",
        ("9781",),
        53.3000,
        6.6020,
        0.8,
        700,
        (("wierden-en-borgen", 85), ("woonzorg-nederland", 15)),
    ),
    Town("Winsum", "GM1966", ("9951",), 53.3300, 6.5190, 0.7, 550, (("wierden-en-borgen", 100),)),
    Town("Baflo", "GM1966", ("9953",), 53.3620, 6.5140, 0.4, 180, (("wierden-en-borgen", 100),)),
    Town("Leens", "GM1966", ("9965",), 53.3590, 6.3790, 0.4, 220, (("wierden-en-borgen", 100),)),
    Town(
        "Uithuizen",
        "GM1966",
        ("9981",),
        53.4070,
        6.6710,
        0.8,
        650,
        (("wierden-en-borgen", 80), ("woonzorg-nederland", 20)),
    ),
    Town(
        "Uithuizermeeden",
        "GM1966",
        ("9982",),
        53.4150,
        6.7240,
        0.5,
        300,
        (("wierden-en-borgen", 100),),
    ),
    Town("Usquert", "GM1966", ("9988",), 53.4030, 6.6100, 0.4, 130, (("wierden-en-borgen", 100),)),
    Town("Warffum", "GM1966", ("9989",), 53.3920, 6.5610, 0.5, 260, (("wierden-en-borgen", 100),)),
    # Eemsdelta: Appingedam, Delfzijl and Loppersum, merged in 2021.
    Town(
        "Appingedam",
        "GM1979",
        ("9901", "9902", "9903"),
        53.3215,
        6.8590,
        1.0,
        1100,
        (("groninger-huis", 45), ("acantus", 35), ("woonzorg-nederland", 20)),
        flats=0.3,
    ),
    Town(
        "Delfzijl",
        "GM1979",
        ("9931", "9932", "9933", "9934"),
        53.3300,
        6.9180,
        1.3,
        1700,
        (
            ("groninger-huis", 40),
            ("acantus", 40),
            ("wierden-en-borgen", 10),
            ("woonzorg-nederland", 10),
        ),
        flats=0.35,
    ),
    Town("Farmsum", "GM1979", ("9936",), 53.3230, 6.9400, 0.5, 220, (("acantus", 100),)),
    Town(
        "Loppersum",
        "GM1979",
        ("9919",),
        53.3320,
        6.7470,
        0.5,
        300,
        (("wierden-en-borgen", 60), ("groninger-huis", 40)),
    ),
    Town("Stedum", "GM1979", ("9921",), 53.3230, 6.6950, 0.3, 120, (("wierden-en-borgen", 100),)),
    Town(
        "Middelstum", "GM1979", ("9991",), 53.3470, 6.6410, 0.4, 220, (("wierden-en-borgen", 100),)
    ),
    # Midden-Groningen
    Town(
        "Hoogezand",
        "GM1952",
        ("9601", "9602", "9603"),
        53.1610,
        6.7600,
        1.3,
        2000,
        (("lefier", 80), ("woonzorg-nederland", 10), ("acantus", 10)),
        flats=0.3,
    ),
    Town("Sappemeer", "GM1952", ("9611",), 53.1600, 6.7920, 0.8, 750, (("lefier", 100),)),
    Town("Foxhol", "GM1952", ("9607",), 53.1690, 6.7140, 0.4, 220, (("lefier", 100),)),
    Town("Harkstede", "GM1952", ("9617",), 53.2140, 6.7000, 0.4, 200, (("wold-en-waard", 100),)),
    Town("Slochteren", "GM1952", ("9621",), 53.2210, 6.8050, 0.5, 260, (("wold-en-waard", 100),)),
    Town("Siddeburen", "GM1952", ("9628",), 53.2440, 6.8710, 0.5, 300, (("wold-en-waard", 100),)),
    Town("Zuidbroek", "GM1952", ("9636",), 53.1640, 6.8610, 0.5, 330, (("acantus", 100),)),
    Town("Muntendam", "GM1952", ("9649",), 53.1330, 6.8700, 0.5, 300, (("acantus", 100),)),
    Town("Meeden", "GM1952", ("9651",), 53.1370, 6.9250, 0.4, 170, (("acantus", 100),)),
    # Oldambt
    Town(
        "Winschoten",
        "GM1895",
        ("9671", "9672", "9673", "9674", "9675"),
        53.1440,
        7.0350,
        1.3,
        2000,
        (("acantus", 85), ("woonzorg-nederland", 15)),
        flats=0.3,
    ),
    Town("Scheemda", "GM1895", ("9679",), 53.1730, 6.9680, 0.5, 420, (("acantus", 100),)),
    Town("Beerta", "GM1895", ("9686",), 53.1740, 7.1020, 0.4, 170, (("acantus", 100),)),
    Town("Bad Nieuweschans", "GM1895", ("9693",), 53.1830, 7.1970, 0.4, 130, (("acantus", 100),)),
    Town("Nieuwolda", "GM1895", ("9944",), 53.2450, 6.9750, 0.4, 170, (("acantus", 100),)),
    # Westerkwartier
    Town(
        "Zuidhorn",
        "GM1969",
        ("9801", "9802"),
        53.2460,
        6.4040,
        0.8,
        600,
        (("groninger-huis", 55), ("wierden-en-borgen", 45)),
    ),
    Town("Aduard", "GM1969", ("9831",), 53.2560, 6.4580, 0.4, 170, (("groninger-huis", 100),)),
    Town(
        "Grijpskerk", "GM1969", ("9843",), 53.2620, 6.3070, 0.4, 170, (("wierden-en-borgen", 100),)
    ),
    Town(
        "Grootegast", "GM1969", ("9861",), 53.2130, 6.2720, 0.4, 260, (("wierden-en-borgen", 100),)
    ),
    Town(
        "Leek",
        "GM1969",
        ("9351",),
        53.1620,
        6.3760,
        0.9,
        800,
        (("goud-wonen", 75), ("woonzorg-nederland", 25)),
    ),
    Town("Tolbert", "GM1969", ("9356",), 53.1650, 6.3620, 0.4, 220, (("goud-wonen", 100),)),
    Town("Marum", "GM1969", ("9363",), 53.1440, 6.2620, 0.5, 260, (("goud-wonen", 100),)),
    # Veendam
    Town(
        "Veendam",
        "GM0047",
        ("9641", "9642", "9643", "9644", "9645"),
        53.1060,
        6.8770,
        1.3,
        1700,
        (("lefier", 45), ("acantus", 40), ("woonzorg-nederland", 15)),
        flats=0.3,
    ),
    Town(
        "Wildervank",
        "GM0047",
        ("9648",),
        53.0790,
        6.8620,
        0.6,
        500,
        (("lefier", 50), ("acantus", 50)),
    ),
    # Pekela
    Town(
        "Oude Pekela",
        "GM0765",
        ("9665",),
        53.1040,
        7.0090,
        0.7,
        520,
        (("acantus", 60), ("lefier", 40)),
    ),
    Town(
        "Nieuwe Pekela",
        "GM0765",
        ("9663",),
        53.0790,
        6.9650,
        0.6,
        380,
        (("acantus", 60), ("lefier", 40)),
    ),
    # Stadskanaal
    Town(
        "Stadskanaal",
        "GM0037",
        ("9501", "9502", "9503"),
        52.9890,
        6.9500,
        1.5,
        1600,
        (("lefier", 85), ("woonzorg-nederland", 15)),
        flats=0.25,
    ),
    Town("Musselkanaal", "GM0037", ("9581",), 52.9340, 7.0140, 0.7, 360, (("lefier", 100),)),
    Town("Onstwedde", "GM0037", ("9591",), 52.9980, 7.0400, 0.4, 130, (("lefier", 100),)),
    # Westerwolde
    Town("Ter Apel", "GM1950", ("9561",), 52.8760, 7.0690, 0.7, 430, (("acantus", 100),)),
    Town("Vlagtwedde", "GM1950", ("9541",), 53.0280, 7.1060, 0.4, 170, (("acantus", 100),)),
    Town("Sellingen", "GM1950", ("9551",), 52.9450, 7.1490, 0.4, 110, (("acantus", 100),)),
    Town("Bellingwolde", "GM1950", ("9695",), 53.1160, 7.1690, 0.4, 130, (("acantus", 100),)),
    Town("Blijham", "GM1950", ("9697",), 53.1390, 7.0760, 0.4, 130, (("acantus", 100),)),
)


# Districts of the city of Groningen, roughly, by the third postcode digit:
# 971x centre and north, 972x south, 973x east, 974x west (km north, km east).
CITY_DISTRICT_OFFSET_KM: dict[str, tuple[float, float]] = {
    "971": (0.8, -0.3),
    "972": (-2.2, 0.0),
    "973": (0.9, 2.4),
    "974": (0.8, -2.8),
}

# Street names, built as prefix + suffix or taken whole. Every one is an
# ordinary Dutch street name; any resemblance to a real address is by chance,
# because the house numbers and owners are made up.
STREET_WHOLE: tuple[str, ...] = (
    "Hoofdstraat",
    "Kerkstraat",
    "Dorpsstraat",
    "Stationsweg",
    "Stationsstraat",
    "Schoolstraat",
    "Molenstraat",
    "Molenweg",
    "Noorderstraat",
    "Zuiderstraat",
    "Oosterstraat",
    "Westerstraat",
    "Kanaalweg",
    "Kanaalstraat",
    "Julianastraat",
    "Wilhelminastraat",
    "Beatrixlaan",
    "Oranjestraat",
    "Nassaulaan",
    "Prins Bernhardlaan",
    "Prinses Margrietstraat",
    "Prinses Irenestraat",
    "Emmastraat",
    "Parkweg",
    "Parklaan",
    "Burgemeester Venemastraat",
    "Burgemeester Schuitemakerlaan",
    "Dokter Ebelstraat",
    "Meester Siebenstraat",
    "Pastorielaan",
    "Marktplein",
    "Havenstraat",
    "Sluisweg",
    "Wierdeweg",
    "Borgweg",
    "Maarweg",
    "Tilweg",
    "Zijlvest",
    "Verlengde Hoofdstraat",
    "Eemsweg",
    "Reitdiepstraat",
    "Damsterweg",
)

STREET_PREFIXES: tuple[str, ...] = (
    # trees
    "Linden",
    "Berken",
    "Eiken",
    "Beuken",
    "Esdoorn",
    "Kastanje",
    "Wilgen",
    "Populieren",
    "Iepen",
    "Elzen",
    "Meidoorn",
    "Vlier",
    "Hazelaar",
    "Lijsterbes",
    # birds
    "Merel",
    "Lijster",
    "Vinken",
    "Mezen",
    "Kievit",
    "Zwaluw",
    "Reiger",
    "Meeuwen",
    "Spreeuwen",
    "Grutto",
    "Wulp",
    "Tureluur",
    "Leeuweriken",
    "Koekoek",
    # flowers
    "Rozen",
    "Tulpen",
    "Narcissen",
    "Seringen",
    "Jasmijn",
    "Lavendel",
    "Klaver",
    "Boterbloem",
    "Margrieten",
    "Korenbloem",
    "Hyacinten",
    "Anjer",
    "Iris",
    "Dahlia",
    # farming and landscape
    "Koren",
    "Tarwe",
    "Gersten",
    "Rogge",
    "Haver",
    "Vlas",
    "Koolzaad",
    "Kwelder",
    "Wadden",
    "Polder",
    "Dijk",
    "Kade",
    "Deel",
    "Stins",
    # painters and writers
    "Rembrandt",
    "Vermeer",
    "Frans Hals",
    "Jozef Israëls",
    "Mesdag",
    "Van Gogh",
    "Mondriaan",
    "Vondel",
    "Bilderdijk",
    "Multatuli",
    "Thorbecke",
    "Tollens",
    "Da Costa",
    "Potgieter",
    # trades
    "Smeden",
    "Kuipers",
    "Wevers",
    "Bakkers",
    "Schilders",
    "Timmerlieden",
    "Molenaars",
    "Schippers",
)

STREET_SUFFIXES: tuple[str, ...] = (
    "straat",
    "straat",
    "straat",
    "laan",
    "laan",
    "weg",
    "hof",
    "plein",
    "pad",
    "singel",
    "dreef",
)
