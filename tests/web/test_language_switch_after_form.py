"""Issue 13, point 5: a page that answers a form keeps the language switch, and switching
loses neither what the tenant typed nor the one-time tracking link."""

import html
import re

import pytest

from tests import factories
from tests.web.session import csrf_token

FORM = {
    "category": "crack",
    "description": "Scheur boven de voordeur.",
    "postcode": "9711 AB",
    "house_number": "12",
    "name": "Jan Jansen",
    "email": "jan@example.nl",
}


@pytest.fixture
async def lefier(conn):
    corporation_id = await factories.corporation(conn, "lefier", "Lefier")
    await factories.home(conn, corporation_id, "9711AB", 12)


def switch_button(page: str) -> dict[str, str]:
    """The switch in the header: a button posting the page's form to formaction."""
    button = re.search(r'<button type="submit" class="language"[^>]*>', page)
    assert button, "no language switch on the page"
    return dict(re.findall(r'(\w+)="([^"]*)"', button.group(0)))


def hidden_fields(page: str, form_id: str) -> dict[str, str]:
    form = page.split(f'<form id="{form_id}"')[1].split("</form>")[0]
    return {
        name: html.unescape(value)
        for name, value in re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form)
    }


async def post_report(client, **changes: str):
    token = csrf_token((await client.get("/")).text)
    return await client.post("/report", data={"_csrf_token": token, **FORM, **changes})


async def test_the_form_with_errors_switches_and_keeps_what_was_typed(client, conn, lefier):
    response = await post_report(client, email="jan@")
    assert response.status_code == 400
    button = switch_button(response.text)
    assert (button["form"], button["formaction"]) == ("report-form", "/report?lang=en")
    assert button["name"] == "language_switch"

    switched = await client.post(
        button["formaction"],
        data={
            "_csrf_token": csrf_token(response.text),
            **FORM,
            "email": "jan@",
            "language_switch": "yes",
        },
    )
    page = html.unescape(switched.text)
    assert '<html lang="en">' in page
    assert "This is not a valid email address." in page  # the error, in English now
    assert 'value="Jan Jansen"' in page
    assert 'value="jan@"' in page
    assert "Scheur boven de voordeur." in page
    assert await conn.fetchval("SELECT count(*) FROM cases") == 0  # nothing was sent
    # And it goes back: the switch is there in English too.
    assert switch_button(switched.text)["formaction"] == "/report?lang=nl"


async def test_the_confirmation_switches_and_keeps_the_tracking_link(client, conn, lefier):
    response = await post_report(client)
    assert response.status_code == 200
    link = re.search(r'id="tracking-link">([^<]+)<', response.text).group(1)
    button = switch_button(response.text)
    assert (button["form"], button["formaction"]) == (
        "language-switch",
        "/report/confirmation?lang=en",
    )
    assert "token" not in button["formaction"]  # the token never goes into a URL
    fields = hidden_fields(response.text, "language-switch")

    switched = await client.post(button["formaction"], data={**fields, "language_switch": "yes"})
    assert switched.status_code == 200
    page = html.unescape(switched.text)
    assert '<html lang="en">' in page
    assert "Your report has been received" in page
    assert re.search(r'id="tracking-link">([^<]+)<', switched.text).group(1) == link
    assert await conn.fetchval("SELECT count(*) FROM cases") == 1  # not filed twice


async def test_a_wrong_token_shows_no_confirmation(client, lefier):
    response = await post_report(client)
    fields = hidden_fields(response.text, "language-switch")
    fields["token"] = "x" * len(fields["token"])
    switched = await client.post("/report/confirmation?lang=en", data=fields)
    assert switched.status_code == 404
    assert "tracking-link" not in switched.text


async def test_a_failed_sign_in_switches_and_keeps_the_e_mail(client):
    page = (await client.get("/login")).text
    failed = await client.post(
        "/login",
        data={"_csrf_token": csrf_token(page), "email": "anna@example.nl", "password": "nee"},
    )
    assert failed.status_code == 400
    button = switch_button(failed.text)
    assert button["formaction"] == "/login?lang=en"
    switched = await client.post(
        button["formaction"],
        data={
            "_csrf_token": csrf_token(failed.text),
            "email": "anna@example.nl",
            "language_switch": "yes",
        },
    )
    assert switched.status_code == 200
    assert '<html lang="en">' in switched.text
    assert 'value="anna@example.nl"' in switched.text
    assert 'id="login-error"' not in switched.text  # no attempt was made


async def test_the_tracking_page_after_an_empty_addition_switches_to_itself(client, lefier):
    done = await post_report(client)
    path = re.search(r'<a href="(/t/[^"]+)">', done.text).group(1)
    token = html.unescape(path).split("token=")[1]
    reference = path.split("/")[2].split("?")[0]
    page = (await client.get(html.unescape(path))).text
    empty = await client.post(
        f"/t/{reference}/message",
        data={"_csrf_token": csrf_token(page), "token": token, "text": " "},
    )
    assert empty.status_code == 400
    switch = re.search(r'<a class="language" href="([^"]+)"', empty.text)
    assert switch, "no language switch on the page"
    assert html.unescape(switch.group(1)) == f"/t/{reference}?token={token}&lang=en"
