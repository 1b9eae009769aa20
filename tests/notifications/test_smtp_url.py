"""SMTP_URL: what it accepts, and how it asks for TLS."""

import pytest

from service.notifications.transport import SmtpTransport
from service.settings import Settings, SettingsError


def test_smtp_url_with_starttls_and_credentials() -> None:
    transport = SmtpTransport("smtp://mail%40corp:p%3Ass@mail.example.nl:2525?starttls=required")
    assert (transport.hostname, transport.port) == ("mail.example.nl", 2525)
    assert (transport.username, transport.password) == ("mail@corp", "p:ss")
    assert transport.start_tls is True
    assert transport.implicit_tls is False
    assert SmtpTransport("smtp://mail.example.nl").start_tls is None  # when offered


def test_smtps_url_is_tls_from_the_start() -> None:
    transport = SmtpTransport("smtps://mail.example.nl")
    assert (transport.implicit_tls, transport.start_tls, transport.port) == (True, False, 465)


@pytest.mark.parametrize(
    "url", ["http://mail.example.nl", "smtp://", "smtp://host:port", "smtp://h?starttls=maybe"]
)
def test_a_bad_smtp_url_is_refused_when_the_settings_are_read(url: str) -> None:
    with pytest.raises(SettingsError, match="SMTP_URL"):
        Settings.from_env({"SMTP_URL": url, "SECRET_KEY": "x"})


def test_without_smtp_url_there_is_none() -> None:
    assert Settings.from_env({"SECRET_KEY": "x"}).smtp_url is None
