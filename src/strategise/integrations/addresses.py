"""Whether a webhook endpoint's address is one Strategise may send to: a host on the public
internet, never this machine or a network behind it (server-side request forgery).

An address is checked when the endpoint is saved and again before every try, because a
name can be made to resolve elsewhere later (DNS rebinding): the try then connects to the
very address that was checked (``sending.post``'s ``address``), not to whatever a second
lookup returns. Refused: loopback, private (RFC 1918), link-local (where cloud metadata
services answer), carrier-grade NAT's shared space, multicast, unspecified, reserved and
other special-purpose ranges, IPv6 unique-local addresses, and IPv6 forms that carry one
of those IPv4 addresses inside them (IPv4-mapped, 6to4, Teredo, NAT64).

``STRATEGISE_WEBHOOKS_ALLOW_PRIVATE`` lets them through, for the test suite's receiver on
loopback; it is off unless set.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_address
from urllib.parse import urlsplit

type IPAddress = IPv4Address | IPv6Address

SHARED = IPv4Network("100.64.0.0/10")
RFC_1918 = (IPv4Network("10.0.0.0/8"), IPv4Network("172.16.0.0/12"), IPv4Network("192.168.0.0/16"))
UNIQUE_LOCAL = IPv6Network("fc00::/7")
NAT64 = IPv6Network("64:ff9b::/96")


class Refused(Exception):
    """An address Strategise will not send to; the message says why, in plain words."""


def kind(address: IPAddress) -> str:
    """What kind of internal address ``address`` is, or "" for a public one."""
    if isinstance(address, IPv6Address):
        inner = address.ipv4_mapped or address.sixtofour or (address.teredo or (None, None))[1]
        if inner is None and address in NAT64:
            inner = IPv4Address(int(address) & 0xFFFFFFFF)
        if inner is not None and (inner_kind := kind(inner)):
            return f"an IPv6 form of {inner}, {inner_kind}"
    if address.is_loopback:
        return "a loopback address (this machine)"
    if address.is_unspecified:
        return "the unspecified address"
    if address.is_link_local:
        return "a link-local address (where cloud metadata services answer)"
    if address.is_multicast:
        return "a multicast address"
    if isinstance(address, IPv4Address) and address in SHARED:
        return "a shared address of carrier-grade NAT (100.64.0.0/10)"
    if isinstance(address, IPv4Address) and any(address in net for net in RFC_1918):
        return "a private address (RFC 1918)"
    if isinstance(address, IPv6Address) and address in UNIQUE_LOCAL:
        return "a unique local IPv6 address (fc00::/7)"
    if address.is_reserved:
        return "a reserved address"
    if not address.is_global:
        return "a special-purpose address, not one on the public internet"
    return ""


def loopback_named(host: str) -> bool:
    """Whether ``host`` is written as this machine (``localhost`` or a loopback address)."""
    if host == "localhost":
        return True
    try:
        return ip_address(host).is_loopback
    except ValueError:
        return False


def resolved(host: str, port: int) -> list[IPAddress]:
    """Every address ``host`` resolves to (itself, if it is an address)."""
    try:
        return [ip_address(host)]
    except ValueError:
        pass
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        if isinstance(error, socket.gaierror) and error.errno == socket.EAI_AGAIN:
            raise Refused(f"{host} could not be looked up just now: try again shortly") from None
        raise Refused(f"{host} is not a name that can be found: check it is spelt right") from None
    # An IPv6 answer may carry a zone ("fe80::1%eth0"); the address is before it.
    return list(dict.fromkeys(ip_address(str(info[4][0]).split("%")[0]) for info in found))


@dataclass(frozen=True)
class Target:
    host: str
    port: int
    # The address to connect to, as checked; None to let the connection look it up
    # (only when private addresses are allowed).
    address: str | None


def target(url: str, *, allow_private: bool) -> Target:
    """Where a try at ``url`` connects: raises ``Refused`` if any address the host resolves
    to is internal (one bad answer among good ones is refused too: which is used is the
    resolver's choice)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    if allow_private:
        return Target(host, port, None)
    found = resolved(host, port)
    for address in found:
        if what := kind(address):
            shown = host if str(address) == host else f"{host} resolves to {address}, which"
            raise Refused(
                f"{shown} is {what}: Strategise sends webhooks only to addresses on the "
                "public internet"
            )
    return Target(host, port, str(found[0]))
