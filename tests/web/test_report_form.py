"""The tenant's report form: every wrong field named at once, house numbers as people type
them, a description of a few words, and a word about homes outside the area served."""

import html

import pytest

from service.domain.dates_in_words import deadline_words
from tests.web.session import csrf_token

GOOD_FORM = {
    "category": "crack",
    "description": "Scheur boven de voordeur.",
    "postcode": "9711 AB",
    "house_number": "12",
    "name": "Jan Jansen",
    "email": "jan@example.nl",
}


async def send(client, **changes: str):
    token = csrf_token((await client.get("/")).text)
    return await client.post("/report", data={"_csrf_token": token, **GOOD_FORM, **changes})


async def cases(conn) -> list:
    return await conn.fetch(
        "SELECT postcode, house_number, house_letter, addition FROM cases ORDER BY reported_at"
    )


def text_of(response) -> str:
    return html.unescape(response.text)


async def test_every_wrong_field_is_named_at_once(client, conn):
    response = await send(client, postcode="97111 A", email="jan@")
    assert response.status_code == 400
    page = text_of(response)
    assert "Vul een geldige postcode in, zoals 9711 AB." in page
    assert "Dit is geen geldig e-mailadres." in page
    # The summary at the top links to each field, in the order of the form.
    summary = page[page.index('id="form-errors"') : page.index("</ul>")]
    assert summary.index('href="#postcode"') < summary.index('href="#email"')
    assert 'id="postcode-error"' in page
    assert 'id="email-error"' in page
    assert page.count('aria-invalid="true"') == 2
    assert await cases(conn) == []


async def test_the_form_s_own_checks_and_the_intake_s_are_named_together(client, conn):
    response = await send(client, category="", postcode="97111 A", description="x", phone="12")
    assert response.status_code == 400
    summary = text_of(response).split('id="form-errors"')[1].split("</ul>")[0]
    for target in ("#postcode", "#category-crack", "#description", "#phone"):
        assert f'href="{target}"' in summary, target
    assert await cases(conn) == []


@pytest.mark.parametrize(
    ("typed", "letter", "addition"),
    [("12a", "A", ""), ("12 A", "A", ""), ("12-2", "", "2"), ("12 bis", "", "BIS")],
)
async def test_a_house_number_with_a_letter_or_addition_is_understood(
    client, conn, typed, letter, addition
):
    response = await send(client, house_number=typed)
    assert response.status_code == 200, text_of(response)[:2000]
    assert "Uw referentie" in response.text
    assert [tuple(row) for row in await cases(conn)] == [("9711AB", 12, letter, addition)]


async def test_the_separate_letter_field_completes_or_repeats_the_house_number(client, conn):
    assert (await send(client, house_number="12", house_letter="b")).status_code == 200
    assert (await send(client, house_number="14a", house_letter="A")).status_code == 200
    assert [tuple(row) for row in await cases(conn)] == [
        ("9711AB", 12, "B", ""),
        ("9711AB", 14, "A", ""),
    ]


async def test_a_letter_given_twice_and_different_is_asked_about(client, conn):
    response = await send(client, house_number="12a", house_letter="B")
    assert response.status_code == 400
    assert "In het huisnummer staat een andere huisletter." in text_of(response)
    response = await send(client, house_number="12-2", addition="3")
    assert response.status_code == 400
    assert "In het huisnummer staat een andere toevoeging." in text_of(response)
    assert await cases(conn) == []


@pytest.mark.parametrize("description", ["x", "Scheur", "a b"])
async def test_a_description_of_a_letter_or_one_word_asks_for_a_few_words(
    client, conn, description
):
    response = await send(client, description=description)
    assert response.status_code == 400
    assert "Beschrijf de schade in een paar woorden" in text_of(response)
    assert await cases(conn) == []


async def test_a_home_outside_the_area_is_sent_after_the_tenant_says_the_postcode_is_right(
    client, conn
):
    first = await send(client, postcode="1011 ab")
    assert first.status_code == 200
    page = text_of(first)
    assert "Deze dienst is voor huurwoningen in Groningen en het noorden van Drenthe." in page
    assert "Postcode 1011 AB ligt daarbuiten." in page
    assert 'name="outside_area" value="yes"' in page
    assert "Uw referentie" not in page
    assert await cases(conn) == []

    second = await send(client, postcode="1011 ab", outside_area="yes")
    assert second.status_code == 200
    assert "Uw referentie" in second.text
    assert [row["postcode"] for row in await cases(conn)] == ["1011AB"]


async def test_a_home_inside_the_area_gets_no_word_about_it(client, conn):
    response = await send(client, postcode="9401 AA")
    assert "Uw referentie" in response.text
    assert "outside_area" not in response.text


async def test_the_area_notice_shows_beside_other_errors(client, conn):
    response = await send(client, postcode="1011 AB", email="jan@")
    assert response.status_code == 400
    page = text_of(response)
    assert "Postcode 1011 AB ligt daarbuiten." in page
    assert "Dit is geen geldig e-mailadres." in page


async def test_the_acute_confirmation_does_not_contradict_itself(client, conn, world):
    """Issue 13, point 2 (part): the advice no longer says "we" call while the next
    paragraph says the corporation does."""
    response = await send(client, acute="yes")
    assert response.status_code == 200
    page = text_of(response)
    assert "Bel 112" in page
    assert "Binnen 4 uur neemt iemand contact met u op over uw melding." in page
    assert "Wij nemen binnen 4 uur contact met u op" not in page
    assert "zij nemen uiterlijk" in page  # Lefier calls: the home is theirs


async def test_the_confirmation_names_the_last_day_in_words(client, conn, world):
    """Issue 13, point 1, on the confirmation page too: a deadline stored as midnight reads
    as the day before it ends, in words, without "00:00"."""
    response = await send(client)
    assert response.status_code == 200
    page = text_of(response)
    due = await conn.fetchval("SELECT acknowledge_by FROM cases")
    assert f"uiterlijk {deadline_words(due, 'nl')} contact met u op" in page
    assert " 00:00" not in page
