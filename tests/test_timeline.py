from service.domain.workflow import Status
from service.reports.timeline import timeline_text


def test_every_status_has_its_own_words_in_both_languages():
    seen = set()
    for status in Status:
        if status is Status.UNROUTED:
            continue
        dutch = timeline_text("status_changed", status, {}, "nl")
        english = timeline_text("status_changed", status, {}, "en")
        assert dutch != english
        assert "bijgewerkt" not in dutch, status
        seen.add(dutch)
    assert len(seen) == len(Status) - 1


def test_routed_names_the_corporation():
    text = timeline_text("routed", "new", {"corporation_name": "Lefier"}, "en")
    assert text == "Your report has been passed to Lefier."
