from datetime import UTC, datetime

from service.domain.workflow import Status
from service.reports.timeline import timeline_text

AT = datetime(2026, 12, 2, 13, 30, tzinfo=UTC)  # 14:30 in Amsterdam


def test_every_status_has_its_own_words_in_both_languages():
    seen = set()
    for status in Status:
        if status is Status.UNROUTED:
            continue
        dutch = timeline_text("status_changed", status, {}, "nl", AT)
        english = timeline_text("status_changed", status, {}, "en", AT)
        assert dutch != english
        assert "bijgewerkt" not in dutch, status
        seen.add(dutch)
    assert len(seen) == len(Status) - 1


def test_routed_names_the_corporation():
    text = timeline_text("routed", "new", {"corporation_name": "Lefier"}, "en", AT)
    assert text == "Your report has been passed to Lefier."


def test_a_planned_visit_says_when():
    planned = {"planned_at": "2026-12-07T10:00:00+01:00"}
    assert timeline_text("status_changed", "repair_planned", planned, "nl", AT) == (
        "Het herstel is gepland op maandag 7 december 2026 om 10:00 uur."
    )
    assert timeline_text("status_changed", "inspection_planned", planned, "en", AT) == (
        "An inspection of the damage has been planned for Monday 7 December 2026 at 10:00."
    )


def test_a_resolved_case_says_until_when_to_confirm_or_reopen():
    dutch = timeline_text("status_changed", "resolved", {}, "nl", AT)
    assert dutch.endswith(
        "Bevestig of heropen binnen 14 dagen: vóór woensdag 16 december 2026 om 14:30 uur."
    )
    english = timeline_text("status_changed", "resolved", {}, "en", AT)
    assert english.endswith("within 14 days: before Wednesday 16 December 2026 at 14:30.")


def test_a_referral_names_the_agency_and_its_reference():
    img = {"referred_to": "IMG", "external_reference": "IMG-123"}
    assert timeline_text("status_changed", "referred", img, "nl", AT) == (
        "Uw melding is doorgezet naar het IMG (Instituut Mijnbouwschade Groningen). "
        "Hun kenmerk is IMG-123."
    )
    ncg = {"referred_to": "NCG", "external_reference": None}
    assert timeline_text("status_changed", "referred", ncg, "en", AT) == (
        "Your report has been passed on to the NCG (National Coordinator Groningen)."
    )
