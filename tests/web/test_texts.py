"""Every text of the web pages is in the translation table, in Dutch and in English.

Jinja renders a missing key as nothing, so a typo would leave a hole in the page: these
checks read the templates and the code for the keys they use.
"""

import re
from pathlib import Path

import pytest

from service.attachments.kinds import Kind
from service.domain.events import EventKind
from service.domain.routing import RoutingReason
from service.domain.sla import DeadlineState, Stage, Urgency
from service.domain.workflow import PLANNED_VISIT_STATUSES, REJECTION_REASONS, Status
from service.web.case_forms import ITEM_FIELDS
from service.web.texts import (
    FIELD_ERRORS,
    PAGE_TEXTS,
    STATUS_LABELS,
    PageWords,
    page_texts,
    page_words,
)

WEB = Path(__file__).resolve().parents[2] / "service" / "web"
STATIC_KEY = re.compile(r"""\bt(?:\.([a-z][a-z0-9_]*)\b(?!\()|\[["']([a-z][a-z0-9_]*)["']\])""")
CODE_KEY = re.compile(r"""(?:title_key|text_key|label_key)=["']([a-z][a-z0-9_]*)["']""")
ERROR_KEY = re.compile(r"""["'](error_[a-z_]+)["']""")


def test_every_text_has_dutch_and_english():
    for table in (PAGE_TEXTS, FIELD_ERRORS, STATUS_LABELS):
        for key, (dutch, english) in table.items():
            assert dutch.strip(), key
            assert english.strip(), key
    assert set(STATUS_LABELS) == set(Status)


def test_every_key_the_templates_and_pages_name_exists():
    used = set()
    for template in (WEB / "templates").glob("*.html"):
        for match in STATIC_KEY.finditer(template.read_text()):
            used.add(match.group(1) or match.group(2))
    for module in WEB.glob("*.py"):
        source = module.read_text()
        used |= set(CODE_KEY.findall(source)) | set(ERROR_KEY.findall(source))
    used.discard("get")  # t.get(...) is the dict's own method
    assert sorted(used - set(PAGE_TEXTS)) == []


def test_every_key_made_from_a_value_exists():
    made = (
        {f"deadline_{state}" for state in DeadlineState}
        | {f"stage_{stage}" for stage in Stage}
        | {f"urgency_{urgency}" for urgency in Urgency}
        | {f"move_to_{status}" for status in Status}
        | {"move_again_inspection_planned", "move_again_repair_planned"}
        | {f"reason_{reason}" for reason in (*REJECTION_REASONS, *RoutingReason, "findings")}
        | {f"cause_{cause}" for cause in ("likely", "unlikely", "unknown")}
        | {f"item_{name}" for name in ITEM_FIELDS}
        | {f"error_{name}" for name in ITEM_FIELDS if name != "description"}
        | {f"visibility_{v}" for v in ("internal", "tenant")}
        | {f"visit_{status}" for status in PLANNED_VISIT_STATUSES}
        # Every kind of event the change pipeline writes has its words in the history.
        | {f"event_{kind}" for kind in EventKind}
        | {
            f"event_{kind}_{file_kind}"
            for kind in (EventKind.ATTACHMENT_ADDED, EventKind.ATTACHMENT_REMOVED)
            for file_kind in Kind
        }
        # Why a photo or file was refused (service/web/photo_forms.py, case_page.py).
        | {"photo_too_large", "photo_not_usable", "photo_no_room", "photo_not_added"}
        | {"file_too_large", "file_not_usable"}
    )
    assert sorted(made - set(PAGE_TEXTS)) == []


def test_the_templates_words_are_the_pages_words_as_attributes():
    for language in ("nl", "en"):
        words, texts = page_words(language), page_texts(language)
        assert all(getattr(words, key) == text for key, text in texts.items())
        assert words["your_report"] == texts["your_report"]
        assert words.get("no such word", "fallback") == "fallback"
    with pytest.raises(ValueError, match="get"):
        PageWords({"get": "halen"})
