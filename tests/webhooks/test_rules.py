"""The pieces without a database: signatures, addresses, event kinds, settings."""

import base64
from datetime import UTC, datetime

import pytest
from standardwebhooks import Webhook

from service.settings import Settings, SettingsError
from service.webhooks.signing import new_secret, signature, signed_headers
from service.webhooks.subscriptions import UnknownEventKind, event_kinds
from service.webhooks.urls import Target, UrlPolicy, UrlRefused, check_form, refused_address


def test_our_signature_is_the_standard_one() -> None:
    secret = new_secret()
    assert len(base64.b64decode(secret.removeprefix("whsec_"))) == 32
    body = '{"type":"case.routed","data":{"tekst":"scheur – één"}}'
    now = int(datetime.now(UTC).timestamp())
    ours = signature(secret, "msg_1", now, body.encode())
    theirs = Webhook(secret).sign("msg_1", datetime.fromtimestamp(now, UTC), body)
    assert ours == theirs
    Webhook(secret).verify(body, signed_headers(secret, "msg_1", now, body.encode()))
    assert new_secret() != secret


@pytest.mark.parametrize(
    ("address", "refused"),
    [
        ("8.8.8.8", False),
        ("2a00:1450:4001:80b::200e", False),
        ("127.0.0.1", True),
        ("10.0.0.1", True),
        ("172.16.5.4", True),
        ("192.168.1.1", True),
        ("100.64.0.1", True),  # carrier-grade NAT
        ("169.254.169.254", True),  # link-local: cloud metadata
        ("0.0.0.0", True),  # noqa: S104 - an address refused, not one bound
        ("224.0.0.1", True),
        ("240.0.0.1", True),
        ("::1", True),
        ("fe80::1", True),
        ("fc00::1", True),
        ("::ffff:127.0.0.1", True),
        ("::ffff:8.8.8.8", False),
    ],
)
def test_private_and_reserved_addresses_are_refused(address, refused) -> None:
    assert refused_address(address) is refused


def test_plain_http_only_when_allowed() -> None:
    with pytest.raises(UrlRefused, match="https://"):
        check_form("http://hooks.example.nl/", UrlPolicy())
    assert check_form("http://hooks.example.nl/", UrlPolicy(allow_http=True)).scheme == "http"


def test_the_post_goes_to_the_checked_address_with_path_and_query() -> None:
    parts = check_form("https://hooks.example.nl/a/b?key=1#top", UrlPolicy())
    assert Target(parts, "93.184.215.14").connect_url == "https://93.184.215.14:443/a/b?key=1"
    assert Target(parts, "2a00::1").connect_url == "https://[2a00::1]:443/a/b?key=1"


def test_event_kinds_in_order_each_once() -> None:
    assert event_kinds(["status_changed", "routed", " routed "]) == ["routed", "status_changed"]
    with pytest.raises(UnknownEventKind, match="unknown event kind routd"):
        event_kinds(["routd"])
    with pytest.raises(UnknownEventKind, match="at least one"):
        event_kinds(["", " "])


def test_the_webhook_settings(tmp_path) -> None:
    default = Settings.from_env({"DATA_DIR": str(tmp_path), "SECRET_KEY": "x"})
    assert (default.webhook_allow_private, default.webhook_allow_http) == (False, False)
    allowed = Settings.from_env(
        {
            "DATA_DIR": str(tmp_path),
            "SECRET_KEY": "x",
            "WEBHOOK_ALLOW_PRIVATE": "1",
            "WEBHOOK_ALLOW_HTTP": "true",
        }
    )
    assert (allowed.webhook_allow_private, allowed.webhook_allow_http) == (True, True)
    with pytest.raises(SettingsError, match="WEBHOOK_ALLOW_PRIVATE must be 1 or 0"):
        Settings.from_env(
            {"DATA_DIR": str(tmp_path), "SECRET_KEY": "x", "WEBHOOK_ALLOW_PRIVATE": "maybe"}
        )
