"""The triage page as a compact list: each row says why the case waits, and a routing that
fails opens its case again with the error next to the field and a notice naming the case."""

import pytest

from tests import factories
from tests.web.session import csrf_token, sign_in
from tests.web.triage_markup import alert_of, error_of, opened_cases

UNREGISTERED = {"postcode": "9711AB", "house_number": 99}
NOBODY_NEARBY = {"postcode": "9999ZZ", "house_number": 1}


@pytest.fixture
async def coordinator_page(world, client, conn):
    await factories.home(conn, world.corporations["lefier"], "9711AB", 14)
    await sign_in(client, conn, world.who("coordinator").id)
    return world


async def _route(client, reference: str, **form: str):
    token = csrf_token((await client.get("/triage")).text)
    return await client.post(
        "/triage",
        data={"_csrf_token": token, "reference": reference, "version": "1", **form},
        follow_redirects=False,
    )


async def test_each_row_says_why_the_case_waits_and_no_case_is_open(client, coordinator_page):
    await coordinator_page.report(UNREGISTERED)
    await coordinator_page.report(NOBODY_NEARBY)

    page = (await client.get("/triage")).text

    assert page.count("Adres niet in het register · voorstel: Lefier<") == 1
    assert page.count("Adres niet in het register<") == 1
    assert opened_cases(page) == []


async def test_an_error_names_its_case_and_opens_only_that_case(client, coordinator_page):
    first = (await coordinator_page.report(UNREGISTERED))["reference"]
    failing = (await coordinator_page.report(UNREGISTERED))["reference"]

    response = await _route(client, failing, corporation="")

    assert response.status_code == 400
    page = response.text
    assert alert_of(page) == (
        f"{failing} is nog niet doorgestuurd. {failing}: Kies een corporatie uit de lijst."
    )
    # The notice takes the focus and leads to the field, which says what is wrong.
    assert 'id="triage-alert" tabindex="-1" autofocus' in page
    assert f'href="#case-{failing}-corporation"' in page
    assert error_of(page, failing, "corporation") == "Kies een corporatie uit de lijst."
    assert f'aria-describedby="case-{failing}-corporation-error"' in page
    assert opened_cases(page) == [failing]
    assert error_of(page, first, "corporation") == ""
    # Issue 13, point 5: the answer keeps the language switch, a link to the triage page.
    assert 'class="language" href="/triage?lang=en"' in page


async def test_the_form_comes_back_as_sent_with_only_the_empty_field_named(
    client, coordinator_page
):
    reference = (await coordinator_page.report(UNREGISTERED))["reference"]

    response = await _route(
        client, reference, corporation="lefier", add_to_portfolio="yes", street="Zuiderdiep"
    )

    assert response.status_code == 400
    page = response.text
    assert alert_of(page) == (
        f"{reference} is nog niet doorgestuurd. {reference}: Vul de plaats in om de woning "
        "te registreren (hooguit 100 tekens)."
    )
    assert error_of(page, reference, "street") == ""
    assert error_of(page, reference, "city").startswith("Vul de plaats in")
    assert 'value="Zuiderdiep"' in page
    assert '<option value="lefier" selected>' in page
    assert 'value="yes" checked' in page


async def test_a_street_too_long_is_named_in_english(client, coordinator_page):
    reference = (await coordinator_page.report(UNREGISTERED))["reference"]
    await client.get("/triage", params={"lang": "en"})

    response = await _route(
        client,
        reference,
        corporation="lefier",
        add_to_portfolio="yes",
        street="x" * 201,
        city="Groningen",
    )

    assert response.status_code == 400
    assert alert_of(response.text) == (
        f"{reference} has not been routed yet. {reference}: Enter the street to register "
        "the home (200 characters at most)."
    )
    assert error_of(response.text, reference, "city") == ""


async def test_a_case_changed_meanwhile_is_opened_and_linked(client, coordinator_page, conn):
    reference = (await coordinator_page.report(UNREGISTERED))["reference"]
    await conn.execute("UPDATE cases SET version = version + 1 WHERE reference = $1", reference)

    response = await _route(client, reference, corporation="lefier")

    assert response.status_code == 409
    assert alert_of(response.text).endswith(f"Naar {reference} in de lijst")
    assert f'<a href="#case-{reference}">' in response.text
    assert opened_cases(response.text) == [reference]
