"""Damage categories a tenant can report, with the words we show for them."""

from enum import StrEnum


class Category(StrEnum):
    CRACK = "crack"
    SUBSIDENCE = "subsidence"
    UNSAFE_SITUATION = "unsafe_situation"
    OTHER = "other"


# label_nl, label_en, explanation_nl, explanation_en
CATEGORY_TEXTS: dict[Category, tuple[str, str, str, str]] = {
    Category.CRACK: (
        "Scheur",
        "Crack",
        "Scheuren in muren, plafonds, vloeren of tegels, binnen of buiten.",
        "Cracks in walls, ceilings, floors or tiles, inside or outside.",
    ),
    Category.SUBSIDENCE: (
        "Verzakking",
        "Subsidence",
        "De woning of een deel ervan zakt of helt: deuren of ramen klemmen, vloeren lopen af.",
        "The home or part of it sinks or tilts: doors or windows stick, floors slope.",
    ),
    Category.UNSAFE_SITUATION: (
        "Onveilige situatie",
        "Unsafe situation",
        "Iets kan loskomen of instorten: een schoorsteen, gevel, plafond of balk.",
        "Something could come loose or collapse: a chimney, facade, ceiling or beam.",
    ),
    Category.OTHER: (
        "Anders",
        "Other",
        "Andere schade die u aan de aardbeving toeschrijft.",
        "Other damage you think the earthquake caused.",
    ),
}


def category_label(category: Category, language: str) -> str:
    label_nl, label_en, _, _ = CATEGORY_TEXTS[category]
    return label_en if language == "en" else label_nl


def category_choices(language: str) -> list[dict[str, str]]:
    """Every category as a form offers it: code, label and a plain explanation."""
    explanation = 3 if language == "en" else 2
    return [
        {
            "code": category.value,
            "label": category_label(category, language),
            "explanation": texts[explanation],
        }
        for category, texts in CATEGORY_TEXTS.items()
    ]
