"""Words for the sample cases: made-up people and Dutch descriptions of damage.

The names are common Dutch first names and surnames put together at random;
email addresses are on example.nl, which never delivers mail.
"""

FIRST_NAMES: tuple[str, ...] = (
    "Anna",
    "Bart",
    "Corrie",
    "Daan",
    "Els",
    "Fenna",
    "Gerrit",
    "Hilde",
    "Ids",
    "Janneke",
    "Klaas",
    "Lieke",
    "Marten",
    "Nynke",
    "Olaf",
    "Petra",
    "Roelof",
    "Sietske",
    "Tjeerd",
    "Ursula",
    "Vera",
    "Willem",
    "Yvonne",
    "Zeger",
    "Aaltje",
    "Bouke",
    "Dieuwke",
    "Egbert",
    "Froukje",
    "Geert",
    "Harm",
    "Ineke",
    "Jelle",
    "Karin",
    "Lammert",
    "Marieke",
    "Niels",
    "Roos",
    "Sanne",
    "Thijs",
    "Wietske",
    "Yusuf",
    "Fatima",
    "Mohamed",
    "Sevda",
    "Piotr",
    "Agnieszka",
)

SURNAMES: tuple[str, ...] = (
    "de Vries",
    "Jansen",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "de Groot",
    "Bos",
    "Dijkstra",
    "Hoekstra",
    "Huizinga",
    "Wiersma",
    "Kuipers",
    "Postma",
    "Veenstra",
    "Zijlstra",
    "Boersma",
    "Bosma",
    "Kramer",
    "van der Veen",
    "Brouwer",
    "Schuiling",
    "Oosting",
    "Hofstede",
    "Pronk",
    "Wolters",
    "Tuinstra",
    "Haan",
    "Smid",
    "Nijboer",
    "Kok",
    "Hovenga",
    "Bolhuis",
    "Kalsbeek",
    "Kamminga",
    "Westerhof",
    "Oldenhuis",
    "Stol",
    "Yilmaz",
    "Kaya",
    "El Amrani",
    "Nowak",
)

# Places in a home where damage is found.
ROOMS: tuple[str, ...] = (
    "in de woonkamer boven de deur",
    "in de woonkamer naast het raam",
    "in de slaapkamer boven het raam",
    "in de kleine slaapkamer op zolder",
    "in de keuken boven het aanrecht",
    "in de gang bij de trap",
    "in de badkamer tussen de tegels",
    "in de buitenmuur aan de achterkant",
    "in de voorgevel onder het raam",
    "in het plafond van de woonkamer",
    "in de muur langs de trap",
    "boven de voordeur",
    "in de binnenmuur tussen keuken en woonkamer",
    "in de gevel naast de schoorsteen",
    "in de muur van de berging",
)

CRACKS: tuple[str, ...] = (
    "Diagonale scheur",
    "Trapsgewijze scheur in het metselwerk",
    "Haarscheur",
    "Scheur van een paar millimeter breed",
    "Meerdere kleine scheuren",
    "Lange horizontale scheur",
    "Scheur door de voeg en de steen",
)

CRACK_DETAILS: tuple[str, ...] = (
    "De scheur is de afgelopen weken groter geworden.",
    "Ik zag het na de laatste beving.",
    "Er valt wat gruis uit.",
    "Bij regen komt er vocht door.",
    "Het behang is over de hele lengte gescheurd.",
    "Foto's kan ik nasturen.",
    "De buren hebben hetzelfde.",
    "Het stucwerk eromheen klinkt hol.",
    "",
)

SUBSIDENCE: tuple[str, ...] = (
    "De voordeur klemt en gaat moeilijk dicht.",
    "De vloer in de woonkamer loopt af naar de achtergevel.",
    "De ramen aan de achterkant klemmen sinds de zomer.",
    "Tussen de vloer en de plint is een kier van ruim een centimeter ontstaan.",
    "De schuur is verzakt ten opzichte van het huis.",
    "De stoep voor de deur is weggezakt en de drempel ligt los.",
    "De achterdeur sluit niet meer, het kozijn staat scheef.",
    "Een knikker rolt vanzelf naar de hoek van de kamer.",
)

UNSAFE: tuple[str, ...] = (
    "De schoorsteen staat scheef en er zijn stenen losgekomen.",
    "Een stuk van het plafond in de slaapkamer is naar beneden gekomen.",
    "De voorgevel lijkt naar buiten te hellen.",
    "De balk boven de keuken is gescheurd en buigt door.",
    "Na de beving liggen er dakpannen los boven de voordeur.",
    "Het metselwerk boven het raam hangt los.",
    "De trap naar boven is losgekomen van de muur.",
)

OTHER: tuple[str, ...] = (
    "Tegels in de badkamer zijn losgeraakt.",
    "Het kozijn van de achterdeur zit los.",
    "De waterleiding in de kruipruimte lekt sinds de beving.",
    "De kitnaden in de douche zijn gescheurd.",
    "De tuinmuur is gescheurd en staat scheef.",
    "Het glas van het slaapkamerraam is gesprongen.",
)

WORRIES: tuple[str, ...] = (
    "Wij maken ons zorgen.",
    "Mijn kinderen slapen in die kamer.",
    "Graag iemand langs laten komen.",
    "Ik ben overdag thuis.",
    "Ik werk overdag, na 16 uur ben ik thuis.",
    "",
    "",
)

ACUTE_WORRIES: tuple[str, ...] = (
    "Wij durven niet meer in die kamer te komen.",
    "Ik heb de ruimte afgesloten.",
    "Er liggen stenen op de stoep, voorbijgangers lopen gevaar.",
)

# (why the case waits, why it goes on again)
HOLD_REASONS: tuple[tuple[str, str], ...] = (
    ("Huurder is niet bereikbaar.", "Huurder weer bereikbaar."),
    ("Huurder is op vakantie; afspraak na terugkomst.", "Huurder is terug van vakantie."),
    ("Wacht op foto's van de huurder.", "Foto's ontvangen."),
    ("Geen toegang tot de woning.", "Toegang tot de woning geregeld."),
    ("Wacht op akkoord van de huurder voor de planning.", "Huurder akkoord met de planning."),
)

# Told to the tenant when a planned visit moves.
REPLAN_NOTES: tuple[str, ...] = (
    "Op uw verzoek is de afspraak verzet; u vindt het nieuwe tijdstip hierboven.",
    "De inspecteur is verhinderd. We hebben een nieuwe afspraak voor u gepland.",
    "De afspraak is verzet omdat de aannemer eerder klaar is met een andere klus.",
)

# Told to the tenant when the work is done.
RESOLUTIONS: tuple[str, ...] = (
    "Scheuren gedicht en muur opnieuw gestuukt.",
    "Metselwerk hersteld en opnieuw gevoegd.",
    "Kozijn gesteld, deur sluit weer.",
    "Schoorsteen afgebroken en opnieuw opgemetseld.",
    "Tegels opnieuw gezet.",
    "Geen herstel nodig: de schade is alleen cosmetisch.",
)

REOPEN_REASONS: tuple[str, ...] = (
    "De scheur is na het herstel teruggekomen.",
    "De deur klemt weer.",
    "Er is nieuwe schade bij gekomen na een beving.",
)

NOTES: tuple[str, ...] = (
    "Huurder gebeld, foto's ontvangen.",
    "Buren melden vergelijkbare schade.",
    "Woning staat op de lijst voor versterking.",
    "Huurder vraagt om een afspraak in de middag.",
    "Eerdere schade in 2019 hersteld, zie oud dossier.",
)

# (reason, note) per moment a case can be rejected.
REJECTIONS_UNROUTED: tuple[tuple[str, str], ...] = (
    ("not_our_home", "Koopwoning: geen huurwoning van een aangesloten corporatie."),
    ("not_our_home", "Particuliere verhuurder; melder doorverwezen naar het IMG."),
    ("withdrawn", "Melder heeft de melding ingetrokken."),
)
REJECTIONS_ROUTED: tuple[tuple[str, str], ...] = (
    ("duplicate", "Deze schade is al eerder gemeld."),
    ("withdrawn", "Huurder heeft de melding ingetrokken."),
    ("not_our_home", "Woning is per 1 juli verkocht."),
)
REJECTIONS_INSPECTED: tuple[tuple[str, str], ...] = (
    ("not_damage", "Krimpscheuren door droogte, geen bevingsschade."),
    ("not_damage", "Vochtschade door lekkage, geen bevingsschade; reparatieverzoek aangemaakt."),
)

# --- findings of an inspection ---

# Rooms and walls an inspector records damage in.
DAMAGE_LOCATIONS: tuple[str, ...] = (
    "woonkamer",
    "slaapkamer",
    "keuken",
    "badkamer",
    "gang",
    "trappenhuis",
    "zolder",
    "berging",
    "voorgevel",
    "achtergevel",
    "zijgevel",
)

# Cracks by damage class (Burland scale): (kind, description).
CRACKS_BY_CLASS: dict[int, tuple[tuple[str, str], ...]] = {
    0: (("haarscheur", "Haarscheur in het stucwerk"),),
    1: (
        ("haarscheur", "Haarscheur door stucwerk en voeg"),
        ("scheur", "Scheur in het stucwerk boven het kozijn"),
    ),
    2: (
        ("scheur", "Scheur in de binnenmuur"),
        ("trapscheur", "Trapscheur in het metselwerk"),
    ),
    3: (
        ("trapscheur", "Trapscheur door voeg en steen"),
        ("doorgaande scheur", "Doorgaande scheur in de draagmuur"),
    ),
    4: (("doorgaande scheur", "Brede doorgaande scheur, muurdelen verschoven"),),
    5: (("doorgaande scheur", "Zeer brede scheur, muur deels los van de constructie"),),
}

# Damage other than a crack, per category of report:
# (kind, description, locations, lowest class, highest class).
OTHER_DAMAGE: dict[str, tuple[tuple[str, str, tuple[str, ...], int, int], ...]] = {
    "crack": (
        (
            "hol stucwerk",
            "Stucwerk rond de scheur klinkt hol",
            ("woonkamer", "slaapkamer", "gang"),
            1,
            2,
        ),
    ),
    "subsidence": (
        ("klemmende deur", "Deur klemt door scheefstand van het kozijn", ("gang", "keuken"), 1, 2),
        ("scheefstand", "Vloer loopt merkbaar af naar de gevel", ("woonkamer", "keuken"), 2, 3),
        ("verzakking", "Fundering onder de aanbouw is verzakt", ("achtergevel", "berging"), 2, 3),
    ),
    "unsafe_situation": (
        (
            "los metselwerk",
            "Metselwerk boven het raam hangt los",
            ("voorgevel", "achtergevel"),
            3,
            4,
        ),
        ("schoorsteen", "Schoorsteen gescheurd en deels los", ("zolder",), 3, 5),
        ("gescheurde balk", "Draagbalk gescheurd en doorgebogen", ("keuken", "zolder"), 3, 5),
        ("scheefstand gevel", "Voorgevel helt naar buiten", ("voorgevel",), 3, 5),
    ),
    "other": (
        ("losse tegels", "Wandtegels losgeraakt", ("badkamer", "keuken"), 0, 1),
        ("lekkage", "Waterleiding lekt bij een gescheurde verbinding", ("berging",), 1, 2),
        ("gesprongen ruit", "Ruit gesprongen door spanning in het kozijn", ("slaapkamer",), 1, 2),
    ),
}

EARTHQUAKE_CAUSES: dict[str, str] = {
    "likely": "Aardbevingen zijn waarschijnlijk de oorzaak.",
    "unlikely": "Aardbevingen zijn waarschijnlijk niet de oorzaak.",
    "unknown": "De oorzaak is nog niet vast te stellen.",
}
ACUTE_FINDING = "Acuut onveilig: de ruimte is afgezet en gestut."
