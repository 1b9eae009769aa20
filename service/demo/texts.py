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

COORDINATORS: tuple[str, ...] = ("R. Dijkstra (regie)", "M. Huizinga (regie)")

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

# Findings an inspector records: (description, damage class on the Burland scale).
FINDINGS: tuple[tuple[str, int], ...] = (
    ("Haarscheur in stucwerk binnenmuur", 0),
    ("Scheur in stucwerk boven deurkozijn", 1),
    ("Trapscheur in metselwerk achtergevel", 2),
    ("Scheur in binnenspouwblad", 2),
    ("Doorgaande scheur in draagmuur", 3),
    ("Scheefstand voorgevel, losse lateien", 3),
    ("Schoorsteen gescheurd, deels los", 4),
    ("Gescheurde draagbalk", 4),
    ("Losgeraakte wandtegels badkamer", 1),
    ("Verzakte fundering onder aanbouw", 3),
)

# (why the case waits, why it goes on again)
HOLD_REASONS: tuple[tuple[str, str], ...] = (
    ("Huurder is niet bereikbaar.", "Huurder weer bereikbaar."),
    ("Huurder is op vakantie; afspraak na terugkomst.", "Huurder is terug van vakantie."),
    ("Wacht op foto's van de huurder.", "Foto's ontvangen."),
    ("Geen toegang tot de woning.", "Toegang tot de woning geregeld."),
    ("Wacht op akkoord van de huurder voor de planning.", "Huurder akkoord met de planning."),
)

REPLAN_REASONS: tuple[str, ...] = (
    "Huurder verhinderd.",
    "Inspecteur ziek.",
    "Op verzoek van de huurder verzet.",
)

RESOLUTIONS: tuple[str, ...] = (
    "Scheuren gedicht en muur opnieuw gestuukt.",
    "Metselwerk hersteld en opnieuw gevoegd.",
    "Kozijn gesteld, deur sluit weer.",
    "Schoorsteen afgebroken en opnieuw opgemetseld.",
    "Tegels opnieuw gezet.",
    "Geen herstel nodig: schade is cosmetisch, huurder geïnformeerd.",
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

# (reason code, explanation) per moment a case can be rejected.
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
