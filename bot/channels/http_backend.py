"""A lean httpcore network backend for the broadcast send path: asyncio streams, one write per request.

httpx's default backend goes through anyio: every read and write enters cancel scopes and
locks that ask for the current task, and on Python 3.11 each of those asks costs a
``getpid()`` system call (dozens per request). httpcore also writes a request's headers and
body separately (two ``send()`` calls, two TCP segments). On a virtual machine, where system
calls are dear, that is most of the CPU a message costs. This backend talks to asyncio's
streams directly, holds writes until the response is read (HTTP/1.1: the request is complete
then) and answers httpcore's idle-connection check from the stream's state, not with a poll.

Only the transport layer changes: httpx and httpcore still build the requests, parse the
responses (h11), pool and time out. Errors are httpcore's, so httpx maps them as usual.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
from collections.abc import Iterable
from typing import Any

import httpcore
import httpx

SocketOption = tuple[int, int, Any]


def lean_transport(limits: httpx.Limits) -> httpx.AsyncHTTPTransport:
    """httpx's HTTP/1.1 transport over :class:`AsyncioBackend` (same pool settings)."""
    transport = httpx.AsyncHTTPTransport(limits=limits, http1=True, http2=False)
    # httpx has no option for the network backend: the same pool as it builds, plus ours.
    transport._pool = httpcore.AsyncConnectionPool(  # noqa: SLF001
        ssl_context=httpx.create_ssl_context(),
        max_connections=limits.max_connections,
        max_keepalive_connections=limits.max_keepalive_connections,
        keepalive_expiry=limits.keepalive_expiry,
        http1=True,
        http2=False,
        network_backend=AsyncioBackend(),
    )
    return transport


class AsyncioStream(httpcore.AsyncNetworkStream):
    """One connection: asyncio ``StreamReader`` / ``StreamWriter``, writes held until a read."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._reader = reader
        self._writer = writer
        self._pending: list[bytes] = []
        self._write_timeout: float | None = None

    async def _flush(self) -> None:
        if not self._pending:
            return
        data = b"".join(self._pending)
        self._pending.clear()
        if self._writer.is_closing():
            raise httpcore.WriteError("connection closed")
        try:
            self._writer.write(data)
            if self._writer.transport.get_write_buffer_size():
                # Only a full socket buffer needs waiting for (rare for a message).
                async with asyncio.timeout(self._write_timeout):
                    await self._writer.drain()
        except TimeoutError as exc:
            raise httpcore.WriteTimeout(str(exc)) from exc
        except (OSError, RuntimeError) as exc:
            raise httpcore.WriteError(str(exc) or type(exc).__name__) from exc

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        """Hold ``buffer``; it goes out with the rest of the request before the next read."""
        if buffer:
            self._pending.append(buffer)
            self._write_timeout = timeout

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        """Send what is held, then read up to ``max_bytes`` (b"" at end of stream)."""
        await self._flush()
        try:
            async with asyncio.timeout(timeout):
                return await self._reader.read(max_bytes)
        except TimeoutError as exc:
            raise httpcore.ReadTimeout(str(exc)) from exc
        except (OSError, RuntimeError) as exc:
            raise httpcore.ReadError(str(exc) or type(exc).__name__) from exc

    async def aclose(self) -> None:
        """Close the connection (without waiting for the peer)."""
        self._pending.clear()
        self._writer.close()

    async def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> AsyncioStream:
        """Upgrade to TLS (https, or https through a proxy tunnel)."""
        await self._flush()
        try:
            async with asyncio.timeout(timeout):
                await self._writer.start_tls(ssl_context, server_hostname=server_hostname)
        except TimeoutError as exc:
            raise httpcore.ConnectTimeout(str(exc)) from exc
        except (OSError, ssl.SSLError) as exc:
            raise httpcore.ConnectError(str(exc) or type(exc).__name__) from exc
        return self

    def get_extra_info(self, info: str) -> Any:
        """What httpcore asks: the TLS object, addresses, the socket, idle readability."""
        if info == "is_readable":
            # Asked for every idle connection whenever a request enters or leaves the pool:
            # the server closed (EOF seen) or sent something unasked.
            return self._reader.at_eof() or bool(getattr(self._reader, "_buffer", b"")) or self._writer.is_closing()
        if info == "ssl_object":
            return self._writer.get_extra_info("ssl_object")
        if info == "client_addr":
            return self._writer.get_extra_info("sockname")
        if info == "server_addr":
            return self._writer.get_extra_info("peername")
        if info == "socket":
            return self._writer.get_extra_info("socket")
        return None


class AsyncioBackend(httpcore.AsyncNetworkBackend):
    """Opens :class:`AsyncioStream` connections."""

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[SocketOption] | None = None,
    ) -> AsyncioStream:
        """A TCP connection (asyncio sets TCP_NODELAY)."""
        try:
            async with asyncio.timeout(timeout):
                reader, writer = await asyncio.open_connection(
                    host, port, local_addr=(local_address, 0) if local_address else None, limit=2**20
                )
        except TimeoutError as exc:
            raise httpcore.ConnectTimeout(str(exc)) from exc
        except OSError as exc:
            raise httpcore.ConnectError(str(exc) or type(exc).__name__) from exc
        sock: socket.socket | None = writer.get_extra_info("socket")
        if sock is not None:
            for option in socket_options or ():
                sock.setsockopt(*option)
        return AsyncioStream(reader, writer)

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[SocketOption] | None = None
    ) -> AsyncioStream:
        """A Unix socket connection."""
        try:
            async with asyncio.timeout(timeout):
                reader, writer = await asyncio.open_unix_connection(path, limit=2**20)
        except TimeoutError as exc:
            raise httpcore.ConnectTimeout(str(exc)) from exc
        except OSError as exc:
            raise httpcore.ConnectError(str(exc) or type(exc).__name__) from exc
        return AsyncioStream(reader, writer)

    async def sleep(self, seconds: float) -> None:
        """Sleep (httpcore's retries)."""
        await asyncio.sleep(seconds)
