"""While the database is away, Open311 answers 503 with Retry-After as the spec's error
array, in the format asked for."""

import httpx

from service.app import create_app
from tests.faults.test_outages import proxy, through  # noqa: F401 - proxy is a fixture
from tests.open311.support import BASE, partner, request_form, xml_items
from tests.servers import serve_in_loop


async def test_requests_answer_503_as_an_error_array(conn, proxy, settings):  # noqa: F811
    api_key = await partner(conn)
    app = create_app(through(proxy, settings))
    async with serve_in_loop(app) as base, httpx.AsyncClient(base_url=base, timeout=10) as http:
        assert (await http.get(f"{BASE}/requests.json")).status_code == 200
        await proxy.cut()
        as_json = await http.get(f"{BASE}/requests.json")
        as_xml = await http.post(f"{BASE}/requests.xml", data=request_form(api_key))
        assert as_json.status_code == as_xml.status_code == 503
        assert int(as_json.headers["retry-after"]) >= 1
        assert as_json.json()[0]["code"] == 503
        assert xml_items(as_xml.text, "errors", "error")[0]["code"] == "503"
        # What needs no database still answers.
        assert (await http.get(f"{BASE}/services.xml")).status_code == 200
        await proxy.restore()
