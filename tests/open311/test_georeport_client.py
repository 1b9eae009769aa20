"""A GeoReport v2 client (the georeport package) reads a running server: discovery,
services, a service definition and requests, in JSON and in XML; both formats say the same,
and every field the spec names is there with the spec's type."""

import asyncio
from datetime import datetime
from typing import Any

import httpx
import pytest
from georeport import GeoReport

from tests import factories
from tests.open311.support import BASE, as_xml_text, partner, request_form

SERVICE_FIELDS = {
    "service_code": str,
    "service_name": str,
    "description": str,
    "metadata": bool,
    "type": str,
    "keywords": str,
    "group": str,
}
ATTRIBUTE_FIELDS = {
    "variable": bool,
    "code": str,
    "datatype": str,
    "required": bool,
    "datatype_description": (str, type(None)),
    "order": int,
    "description": str,
    "values": list,
}
REQUEST_FIELDS = {
    "service_request_id": str,
    "status": str,
    "status_notes": (str, type(None)),
    "service_name": str,
    "service_code": str,
    "description": (str, type(None)),
    "agency_responsible": (str, type(None)),
    "service_notice": (str, type(None)),
    "requested_datetime": str,
    "updated_datetime": str,
    "expected_datetime": (str, type(None)),
    "address": (str, type(None)),
    "address_id": (str, type(None)),
    "zipcode": (str, type(None)),
    "lat": float,
    "long": float,
    "media_url": (str, type(None)),
}
DATETIMES = ("requested_datetime", "updated_datetime", "expected_datetime")


def has_spec_fields(item: dict[str, Any], fields: dict[str, Any]) -> None:
    assert set(item) == set(fields), set(item) ^ set(fields)
    for name, kind in fields.items():
        assert isinstance(item[name], kind), (name, item[name])


def w3c(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    assert moment.tzinfo is not None, text
    return moment


def listed(value: Any) -> list[Any]:
    """xmltodict makes one element a dict and several a list."""
    return value if isinstance(value, list) else [value]


def same_in_xml(json_item: dict[str, Any], xml_item: dict[str, Any]) -> None:
    assert list(xml_item) == list(json_item)
    for name, value in json_item.items():
        if isinstance(value, list | dict):
            continue
        assert (xml_item[name] or "") == as_xml_text(value), name


@pytest.fixture
async def filed(live_server, conn) -> dict[str, Any]:
    lefier = await factories.corporation(conn, "lefier", "Lefier")
    await factories.home(conn, lefier, "9711AB", 12)
    await factories.home(conn, lefier, "9711AC", 4)
    await conn.execute("UPDATE addresses SET lat = 53.2190 + house_number / 10000.0, lon = 6.5680")
    api_key = await partner(conn)
    async with httpx.AsyncClient(base_url=live_server) as client:
        response = await client.post(f"{BASE}/requests.json", data=request_form(api_key))
        assert response.status_code == 201, response.text
    return {"url": live_server, "reference": response.json()[0]["service_request_id"]}


async def test_discovery(filed):
    async with httpx.AsyncClient(base_url=filed["url"]) as client:
        as_json = (await client.get(f"{BASE}/discovery.json")).json()
        as_xml = await client.get(f"{BASE}/discovery.xml")
    assert {"changeset", "contact", "key_service", "endpoints"} == set(as_json)
    w3c(as_json["changeset"])
    [endpoint] = as_json["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "https://schade.example.nl/open311/v2"
    assert endpoint["formats"] == ["text/xml", "application/json"]
    assert as_xml.text.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    assert "<endpoints><endpoint><specification>" in as_xml.text
    assert "<formats><format>text/xml</format><format>application/json</format>" in as_xml.text


async def test_services_and_their_definition_in_both_formats(filed):
    as_json = GeoReport(f"{filed['url']}{BASE}")
    as_xml = GeoReport(f"{filed['url']}{BASE}", output_format="xml")
    services = await asyncio.to_thread(as_json.get_service_list)
    xml_services = await asyncio.to_thread(as_xml.get_service_list)
    assert [s["service_code"] for s in services] == [
        "crack",
        "subsidence",
        "unsafe_situation",
        "other",
    ]
    crack = services[0]
    assert crack["service_name"] == "Scheur"  # Dutch, with English in the description
    assert crack["description"].startswith("Crack: ")
    assert (crack["metadata"], crack["type"]) == (True, "realtime")
    for service, xml_service in zip(services, xml_services, strict=True):
        has_spec_fields(service, SERVICE_FIELDS)
        same_in_xml(service, xml_service)

    definition = await asyncio.to_thread(as_json.get_service_definition, "crack")
    xml_definition = await asyncio.to_thread(as_xml.get_service_definition, "crack")
    assert definition["service_code"] == xml_definition["service_code"] == "crack"
    [attribute] = definition["attributes"]
    has_spec_fields(attribute, ATTRIBUTE_FIELDS)
    assert (attribute["code"], attribute["datatype"]) == ("acute", "singlevaluelist")
    assert [value["key"] for value in attribute["values"]] == ["true", "false"]
    xml_attribute = xml_definition["attributes"]["attribute"]
    same_in_xml(attribute, xml_attribute)
    assert [v["key"] for v in listed(xml_attribute["values"]["value"])] == ["true", "false"]


async def test_requests_in_both_formats(filed):
    as_json = GeoReport(f"{filed['url']}{BASE}")
    as_xml = GeoReport(f"{filed['url']}{BASE}", output_format="xml")
    [found] = await asyncio.to_thread(as_json.get_service_requests)
    [xml_found] = listed(await asyncio.to_thread(as_xml.get_service_requests))
    has_spec_fields(found, REQUEST_FIELDS)
    same_in_xml(found, xml_found)
    for name in DATETIMES:
        w3c(found[name])
    assert found["service_request_id"] == filed["reference"]
    assert (found["status"], found["service_code"], found["agency_responsible"]) == (
        "open",
        "crack",
        "Lefier",
    )
    # The area 9711 and the middle of its registered homes, not the home.
    assert found["zipcode"] == "9711"
    assert (found["lat"], found["long"]) == (53.2198, 6.568)

    one = await asyncio.to_thread(as_json.get_service_request, filed["reference"])
    xml_one = await asyncio.to_thread(as_xml.get_service_request, filed["reference"])
    assert one == found
    same_in_xml(one, xml_one)
