"""Whom the service believes (service/client_address.py): an address compared packed decides
as uvicorn's own check does, for every way of writing one."""

import pytest
from uvicorn.middleware.proxy_headers import _TrustedHosts

from service.client_address import PackedTrustedHosts

WRITTEN = [
    "127.0.0.1",
    "127.0.0.2",
    "127.0.0.01",
    "127.000.000.001",
    "0127.0.0.1",
    "127.1",
    "0x7f.0.0.1",
    "2130706433",
    " 127.0.0.1",
    "127.0.0.1\x00",
    "::1",
    "0:0:0:0:0:0:0:1",
    "::0001",
    "[::1]",
    "::ffff:127.0.0.1",
    "fe80::1%eth0",
    "10.1.2.3",
    "1.2.3.256",
    "localhost",
    "proxy",
    "unknown",
    "",
    None,
]


@pytest.mark.parametrize(
    "trusted",
    [["127.0.0.1", "::1"], ["10.1.2.3"], ["10.0.0.0/8", "::1"], ["127.0.0.1", "proxy"], ["*"]],
)
def test_trust_is_decided_as_uvicorn_decides_it(trusted):
    theirs, ours = _TrustedHosts(trusted), PackedTrustedHosts(trusted)
    assert [host in ours for host in WRITTEN] == [host in theirs for host in WRITTEN]


def test_a_forwarded_address_is_the_client_behind_a_local_proxy():
    ours = PackedTrustedHosts(["127.0.0.1", "::1"])
    assert ours.get_trusted_client_address("10.9.8.7, 127.0.0.1") == ("10.9.8.7", 0)
    assert ours.get_trusted_client_address("10.9.8.7, 0:0::1") == ("10.9.8.7", 0)
