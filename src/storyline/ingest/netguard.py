"""Where a fetch may go: public http(s) addresses only, unless the user allows more.

A link in a feed, a redirect or a host name that resolves to a private address must not make
storyline read the local network or a cloud metadata service (169.254.169.254). The check runs
where it cannot be dodged: on the address a connection is actually opened to, after DNS
resolution, for the first request and for every redirect alike (``GuardedBackend``). The
connection then goes to the address that was checked, so a second DNS answer cannot differ.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Iterable
from concurrent.futures import Executor
from typing import Any
from urllib.parse import urlsplit

import httpcore
import httpx

from ..settings import Settings

SCHEMES = ("http", "https")


class BlockedAddress(Exception):
    """A connection to a non-public address was refused."""

    def __init__(self, host: str, address: str, why: str) -> None:
        super().__init__(f"{host} is {address}" if host != address else address)
        self.host, self.address, self.why = host, address, why

    def describe(self) -> str:
        where = self.address if self.host == self.address else f"{self.host} resolves to {self.address}"
        return (f"refused: {where}, a {self.why} address; storyline fetches only from public "
                "addresses unless given --allow-private")


def refusal(address: str, settings: Settings) -> str | None:
    """Why ``address`` may not be fetched from (a kind of address), or None when it may."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return "unparseable"
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
    if settings.allow_private or any(ip in net for net in allowed_networks(settings)):
        return None
    if ip.is_loopback:
        return "loopback"
    if ip.is_link_local:
        return "link-local (cloud metadata services live there)"
    if ip.is_unspecified:
        return "unspecified"
    if ip.is_multicast:
        return "multicast"
    if ip.is_private:
        return "private"
    if ip.is_reserved or not ip.is_global:
        return "reserved, non-public"
    return None


def allowed_networks(settings: Settings) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [ipaddress.ip_network(n, strict=False) for n in settings.allow_networks]


def scheme_refusal(url: str) -> str | None:
    """Why a URL may not be fetched at all (not http or https), or None."""
    scheme = urlsplit(url).scheme.lower()
    if scheme not in SCHEMES:
        return f"only http and https URLs are fetched, not {scheme or 'a URL without a scheme'}:"
    return None


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """httpcore's network backend, resolving names itself and refusing non-public addresses."""

    def __init__(self, settings: Settings, resolver: Executor) -> None:
        self.settings = settings
        self.resolver = resolver  # our own threads: a hung DNS lookup never blocks shutdown
        self.inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        loop = asyncio.get_running_loop()
        try:
            infos = await loop.run_in_executor(
                self.resolver,
                lambda: socket.getaddrinfo(host, port, type=socket.SOCK_STREAM),
            )
        except (socket.gaierror, UnicodeError) as exc:
            raise httpcore.ConnectError(f"cannot resolve {host} ({exc})") from None
        addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
        for address in addresses:  # every answer is checked: a mixed answer is refused
            why = refusal(address, self.settings)
            if why:
                raise BlockedAddress(host, address, why)
        error: Exception | None = None
        for address in addresses:
            try:
                return await self.inner.connect_tcp(
                    address, port, timeout=timeout, local_address=local_address,
                    socket_options=socket_options,
                )
            except httpcore.ConnectError as exc:
                error = exc
        raise error or httpcore.ConnectError(f"no address for {host}")

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("unix sockets are not fetched from")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


class GuardedTransport(httpx.AsyncHTTPTransport):
    """httpx's transport with ``GuardedBackend`` under it. Proxies from the environment are not
    used: behind a proxy the address a name resolves to could not be checked."""

    def __init__(self, settings: Settings, resolver: Executor) -> None:
        super().__init__(trust_env=False, retries=0)
        # httpx has no parameter for the network backend; the pool it builds is replaced by an
        # equal one that has it (tests/test_harden_fetch.py fails if this ever stops working).
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=settings.fetch_concurrency * 2,
            network_backend=GuardedBackend(settings, resolver),
        )
