"""The README's examples of POST /api/v1/reports answer what the README says they answer,
on the demo data that `make run` loads.

The bodies and the expected answers are read from README.md itself, so an example that no
longer behaves as written fails here.
"""

import json
import re
from dataclasses import dataclass
from typing import Any

from service.demo.seed import seed_demo
from tests.conftest import REPO

# A ```sh block with the curl call, then the paragraph that says what it answers.
EXAMPLE = re.compile(r"```sh\n(curl [^\n]*/api/v1/reports .*?)```\n\n(.*?)(?:\n\n|\Z)", re.S)


@dataclass(frozen=True)
class Example:
    body: dict[str, Any]
    idempotency_key: str
    status: str
    corporation: dict[str, str] | None


def readme_examples() -> list[Example]:
    examples = []
    for call, answer in EXAMPLE.findall((REPO / "README.md").read_text()):
        body = re.search(r"-d '(\{.*\})'", call, re.S)
        key = re.search(r"-H 'Idempotency-Key: ([^']+)'", call)
        status = re.search(r'`"status": "([a-z_]+)"`', answer)
        corporation = re.search(r'`"corporation": ([^`]+)`', answer)
        assert body, call
        assert key, call
        assert status, answer
        assert corporation, answer
        examples.append(
            Example(
                json.loads(body.group(1)),
                key.group(1),
                status.group(1),
                json.loads(corporation.group(1)),
            )
        )
    return examples


def test_the_readme_shows_a_routed_and_an_unrouted_report():
    examples = readme_examples()
    assert [example.status for example in examples] == ["new", "unrouted"]
    assert examples[0].corporation is not None
    assert examples[1].corporation is None
    # Retrying one example must not answer 409 for having the other's key.
    assert len({example.idempotency_key for example in examples}) == len(examples)


async def test_the_readme_examples_answer_as_written_on_the_demo_data(conn, settings, client):
    await seed_demo(conn, settings.secret_key)
    examples = readme_examples()
    assert examples
    for example in examples:
        response = await client.post(
            "/api/v1/reports",
            json=example.body,
            headers={"Idempotency-Key": example.idempotency_key},
        )
        assert response.status_code == 201, response.text
        answer = response.json()
        assert (answer["status"], answer["corporation"]) == (
            example.status,
            example.corporation,
        ), example.body["address"]
