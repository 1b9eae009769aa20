"""The tracking link a tenant is given opens a page that shows their case."""

from datetime import date, timedelta

from tests import factories
from tests.factories import report_body

VISIT = date.today() + timedelta(days=7)  # a plan lies between a week ago and two years ahead


async def test_tracking_link_opens_the_tenant_page(client, conn):
    await factories.home(conn, await factories.corporation(conn, "lefier", "Lefier"), "9711AB", 12)
    created = (await client.post("/api/v1/reports", json=report_body())).json()
    path = created["tracking_url"].removeprefix("https://schade.example.nl")
    page = await client.get(path)
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert page.headers["referrer-policy"] == "no-referrer"
    assert "default-src 'self'" in page.headers["content-security-policy"]
    html = page.text
    assert created["reference"] in html
    assert "Doorgestuurd naar de corporatie" in html
    assert "Lefier" in html
    assert "Scheur</dd>" in html  # the category, in Dutch
    assert report_body()["description"] in html
    assert "Uw melding is ontvangen." in html
    assert '<html lang="nl">' in html
    css = await client.get("/static/site.css")
    assert css.status_code == 200


async def test_english_tenant_reads_english(client, conn):
    body = report_body(acute=True, category="unsafe_situation")
    body["reporter"]["language"] = "en"
    created = (await client.post("/api/v1/reports", json=body)).json()
    page = await client.get(created["tracking_url"].removeprefix("https://schade.example.nl"))
    assert '<html lang="en">' in page.text
    assert "We are finding out which corporation owns the home" in page.text
    assert "Call 112" in page.text


async def test_wrong_token_shows_not_found_without_details(client, conn):
    created = (await client.post("/api/v1/reports", json=report_body())).json()
    page = await client.get(f"/t/{created['reference']}?token=wrong")
    assert page.status_code == 404
    assert "Melding niet gevonden" in page.text
    assert "Diagonale scheur" not in page.text
    missing = await client.get(f"/t/{created['reference']}")
    assert missing.status_code == 404


async def test_description_is_escaped(client, conn):
    body = report_body(description="Scheur <script>alert(1)</script> in de gevel")
    created = (await client.post("/api/v1/reports", json=body)).json()
    page = await client.get(created["tracking_url"].removeprefix("https://schade.example.nl"))
    assert "Scheur &lt;script&gt;alert(1)&lt;/script&gt; in de gevel" in page.text
    assert "<script>" not in page.text


async def test_the_language_switch_keeps_the_tracking_link_working(client, conn):
    created = (await client.post("/api/v1/reports", json=report_body())).json()
    path = created["tracking_url"].removeprefix("https://schade.example.nl")
    token = path.split("token=", 1)[1]
    dutch = (await client.get(path)).text
    switch = f'href="/t/{created["reference"]}?token={token}&amp;lang=en"'
    assert switch in dutch
    english = await client.get(f"{path}&lang=en")
    assert '<html lang="en">' in english.text
    assert "Your report has been received." in english.text  # the timeline too
    assert "Passed to the corporation" not in english.text  # routed nowhere: no corporation
    again = await client.get(path)  # the choice is remembered
    assert '<html lang="en">' in again.text


async def test_the_tenant_sees_the_planned_visit(world):
    created = await world.report()
    inspector = world.who("inspector")
    await world.move(created["reference"], inspector, "acknowledged")
    await world.move(
        created["reference"], inspector, "inspection_planned",
        planned_at=f"{VISIT.isoformat()}T10:00:00+01:00",
    )  # fmt: skip
    path = created["tracking_url"].removeprefix("https://schade.example.nl")
    page = (await world.client.get(path)).text
    assert "<dt>Afspraak voor de inspectie</dt>" in page
    assert f"<strong>{VISIT.strftime('%d-%m-%Y')} 10:00</strong>" in page
