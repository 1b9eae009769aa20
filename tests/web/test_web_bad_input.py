"""No form of the web pages answers a 500, whatever is sent to it."""

import pytest

from tests.web.session import csrf_token, sign_in

NASTY_VALUES = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 🏚️",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "9" * 40,
    "x" * 20_000,
    "-1",
    "1e309",
]
FIELDS = {
    "/report": [
        "postcode", "house_number", "house_letter", "addition", "category", "acute",
        "description", "name", "email", "phone", "reporter_language", "idempotency_key",
    ],
    "/login": ["email", "password", "next"],
    "/cases/{reference}": [
        "form", "version", "to", "planned_at", "reason", "duplicate_of", "referred_to",
        "external_reference", "note", "text", "visibility", "assignee_id", "corporation",
        "item1-location", "item1-kind", "item1-damage_class", "item1-crack_width_mm",
        "earthquake_cause", "summary",
    ],
    "/triage": ["reference", "version", "corporation", "add_to_portfolio", "street", "city"],
    "/t/{reference}/message": ["token", "text"],
    "/t/{reference}/reopen": ["token", "reason"],
}  # fmt: skip
VALID = {
    "form": "transition", "to": "acknowledged", "version": "1", "visibility": "internal",
    "corporation": "lefier", "earthquake_cause": "likely",
}  # fmt: skip


@pytest.mark.parametrize("path", list(FIELDS))
async def test_every_field_with_every_nasty_value_gets_an_answer_below_500(world, conn, path):
    case = await world.report()
    await sign_in(world.client, conn, world.who("coordinator").id)
    token = csrf_token((await world.client.get(f"/cases/{case['reference']}")).text)
    url = path.format(reference=case["reference"])
    answers = set()
    for field in FIELDS[path]:
        for value in NASTY_VALUES:
            form = {
                "_csrf_token": token,
                **{name: VALID.get(name, "x") for name in FIELDS[path]},
                field: value,
            }
            response = await world.client.post(url, data=form, follow_redirects=False)
            assert response.status_code < 500, (path, field, value[:20], response.text[:300])
            answers.add(response.status_code)
    assert answers - {403}, "the CSRF check refused everything: nothing else was tried"
    # A body that is not a form at all.
    for body, kind in ((b"{}", "application/json"), (b"\xff\xfe", "text/plain"), (b"", "")):
        response = await world.client.post(
            url, content=body, headers={"Content-Type": kind, "X-CSRFToken": token}
        )
        assert response.status_code < 500, (path, body, kind)
