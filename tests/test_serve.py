"""`python -m service serve` on a fresh embedded database, as `make run` starts it."""

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from service.demo.homes import generate_portfolio
from tests.conftest import REPO
from tests.factories import report_body
from tests.servers import free_port


def _environment(data_dir: Path, port: int) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "PUBLIC_BASE_URL", "SMTP_URL")
    }
    env.update(
        DATA_DIR=str(data_dir),
        PORT=str(port),
        HOST="127.0.0.1",
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    return env


class Served:
    def __init__(self, data_dir: Path, port: int) -> None:
        self.port = port
        self.env = _environment(data_dir, port)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "service", "serve"],
            cwd=REPO,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: list[str] = []

    def wait_ready(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        assert self.process.stdout is not None
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if not line and self.process.poll() is not None:
                pytest.fail("serve exited early:\n" + "".join(self.lines))
            self.lines.append(line)
            if "Serving on" in line:
                break
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{self.port}/ready", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.2)
        pytest.fail("serve did not become ready:\n" + "".join(self.lines))

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "service", *args],
            cwd=REPO,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    def stop(self) -> None:
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise


def test_serve_on_a_fresh_machine_seeds_demo_data_and_keeps_it(tmp_path):
    data_dir = tmp_path / "data"
    port = free_port()
    served = Served(data_dir, port)
    try:
        served.wait_ready()
        output = "".join(served.lines)
        assert f"http://127.0.0.1:{port}/schema" in output
        # No SMTP_URL: it says where e-mail goes instead.
        assert (
            f"no SMTP_URL, so the worker writes messages as .eml files in {data_dir / 'mail'}"
            in output
        )
        link = re.search(r"Sample tracking link: (\S+)", output)
        assert link, output
        match = re.search(r"/t/(SCH-\d{4}-\d{6,})\?token=(\S+)", link.group(1))
        assert match, link.group(1)
        reference, token = match.groups()
        view = httpx.get(
            f"http://127.0.0.1:{port}/api/v1/reports/{reference}",
            headers={"X-Tracking-Token": token},
        )
        assert view.status_code == 200, view.text
        assert "server" not in view.headers  # no "server: uvicorn" banner

        # The printed demo token of the coordinator opens the staff API.
        token = re.search(r"coordinator\s+(sct_\S+)", output)
        assert token, output
        queue = httpx.get(
            f"http://127.0.0.1:{port}/api/v1/cases",
            headers={"Authorization": f"Bearer {token.group(1)}"},
        )
        assert queue.status_code == 200
        assert len(queue.json()["items"]) == 50

        # The worker beside the server sends e-mail: here .eml files, without SMTP_URL. A new
        # report on a demo home tells its corporation.
        home = generate_portfolio().homes[0]
        address = {"postcode": home.postcode, "house_number": home.house_number}
        address |= {"house_letter": home.house_letter, "addition": home.addition}
        reported = httpx.post(
            f"http://127.0.0.1:{port}/api/v1/reports", json=report_body(address=address)
        )
        assert reported.status_code == 201, reported.text
        deadline = time.monotonic() + 15
        reference = reported.json()["reference"]
        while not any(reference in p.read_text() for p in (data_dir / "mail").glob("*.eml")):
            assert time.monotonic() < deadline, "no .eml file for the new report"
            time.sleep(0.2)

        # The printed password signs the coordinator in to the staff pages.
        staff = re.search(r"Staff pages: (\S+/login), password (\S+) for (\S+),", output)
        assert staff, output
        with httpx.Client() as browser:
            form = browser.get(staff.group(1)).text
            csrf = re.search(r'name="_csrf_token" value="([^"]+)"', form)
            assert csrf
            signed_in = browser.post(
                staff.group(1),
                data={
                    "_csrf_token": csrf.group(1),
                    "email": staff.group(3),
                    "password": staff.group(2),
                },
            )
        assert signed_in.status_code == 303
        assert signed_in.headers["location"] == "/work"

        # CLI commands share the running embedded server.
        added = served.cli("corporations", "add", "test-corp", "Test Corporatie")
        assert added.returncode == 0, added.stderr
        listed = served.cli("corporations", "list")
        assert listed.returncode == 0, listed.stderr
        assert "test-corp" in listed.stdout
        assert "lefier" in listed.stdout
        # The server is still serving after the CLI processes exited.
        assert httpx.get(f"http://127.0.0.1:{port}/ready").status_code == 200
    finally:
        served.stop()

    # Data survives a restart, and the demo data is not loaded twice.
    again = Served(data_dir, port)
    try:
        again.wait_ready()
        listed = again.cli("corporations", "list")
        assert "test-corp" in listed.stdout
        assert listed.stdout.count("lefier") == 1
    finally:
        again.stop()


def test_the_process_that_supervises_the_workers_holds_no_seeding_code(database_url, tmp_path):
    """serve migrates and seeds in a child process: the seeding's modules (among them the image
    library) would otherwise stay in the memory of the process that supervises the workers
    for as long as it serves (issue 15: about 25 MB of the memory target)."""
    port = free_port()
    env = _environment(tmp_path / "data", port) | {"DATABASE_URL": database_url}
    served = subprocess.Popen(
        [sys.executable, "-m", "service", "serve", "--no-demo", "--no-worker", "--workers", "2"],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert served.poll() is None, "serve exited"
            assert time.monotonic() < deadline, "serve did not become ready"
            try:
                if httpx.get(f"http://127.0.0.1:{port}/ready", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        # The workers answer (the image library is theirs, loaded when a photo comes in);
        # the supervisor has never loaded it.
        maps = Path(f"/proc/{served.pid}/maps").read_text()
        assert "PIL" not in maps
        assert "site-packages/asyncpg" in maps  # what it did load shows up here
    finally:
        served.send_signal(signal.SIGINT)
        served.wait(timeout=60)
