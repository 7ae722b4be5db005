"""The asyncio transport of a client: httpx's own, or aiohttp's through httpx-aiohttp.

`docextract.client(P, async_transport="aiohttp")` (with `pip install 'docextract[aiohttp]'`)
sends the asyncio requests with aiohttp, whose C HTTP parser costs about a third less CPU per
call than httpcore's. Everything above the transport is unchanged: the same httpx.AsyncClient,
retry transport, key auth, credential guard, deadlines and errors.

httpx-aiohttp makes the session and connector; the sending is ours, for what docextract's
guarantees need (the library's `handle_async_request` has no hook for any of it):
- errors: the library maps a server that hangs up after the request was sent to
  `httpx.ConnectTimeout`, which says that nothing was sent, so a POST that may have created a
  job would be resent; and aiohttp errors it does not list escape as non-httpx exceptions.
  Here every aiohttp error becomes the httpx error that says what happened (`errors` below);
- the URL goes out byte for byte as httpx built it (escaped path parameters stay escaped);
- an aiohttp session belongs to the event loop it was made in, and one docextract client may
  serve several loops in turn (successive `asyncio.run()`s): a session is made per loop.
"""

import ssl
from collections.abc import AsyncIterator
from typing import Any, Literal

import httpx

from docextract.errors import InvalidParameter

AsyncTransportChoice = Literal["httpx", "aiohttp"]
DEFAULT: AsyncTransportChoice = "httpx"  # what None means (the test suite also runs on aiohttp)


def async_transport_for(
    choice: "httpx.AsyncBaseTransport | AsyncTransportChoice | None", ssl_context: ssl.SSLContext
) -> httpx.AsyncBaseTransport:
    """The innermost asyncio transport for a client: `choice` itself if it is a transport."""
    if isinstance(choice, httpx.AsyncBaseTransport):
        return choice
    chosen = DEFAULT if choice is None else choice
    if chosen == "httpx":
        return httpx.AsyncHTTPTransport(verify=ssl_context)
    if chosen == "aiohttp":
        try:
            return _aiohttp_transport(ssl_context)
        except ImportError:
            raise InvalidParameter(
                "async_transport",
                chosen,
                "installed first: pip install 'docextract[aiohttp]' (httpx-aiohttp)",
            ) from None
    raise InvalidParameter(
        "async_transport", choice, "'httpx', 'aiohttp' or an httpx.AsyncBaseTransport"
    )


def _aiohttp_transport(ssl_context: ssl.SSLContext) -> httpx.AsyncBaseTransport:
    import asyncio

    import aiohttp
    import httpx_aiohttp
    import yarl

    # aiohttp error -> the httpx error that says whether the request can have reached the
    # server; the first match wins, so subclasses come before their bases
    errors: tuple[tuple[type[BaseException], type[httpx.TransportError]], ...] = (
        (aiohttp.ConnectionTimeoutError, httpx.ConnectTimeout),  # nothing sent
        (aiohttp.SocketTimeoutError, httpx.ReadTimeout),
        (aiohttp.ServerTimeoutError, httpx.ReadTimeout),
        (aiohttp.ClientProxyConnectionError, httpx.ProxyError),
        (aiohttp.ClientHttpProxyError, httpx.ProxyError),
        (aiohttp.ClientConnectorError, httpx.ConnectError),  # refused, DNS, TLS: nothing sent
        (aiohttp.ServerDisconnectedError, httpx.RemoteProtocolError),  # may have been sent
        (aiohttp.ClientPayloadError, httpx.ReadError),
        (aiohttp.ClientResponseError, httpx.RemoteProtocolError),  # a malformed answer
        (aiohttp.ClientConnectionError, httpx.ReadError),  # reset or OS error mid-exchange
        (aiohttp.InvalidURL, httpx.UnsupportedProtocol),
        (aiohttp.ClientError, httpx.TransportError),
    )

    def translated(exc: aiohttp.ClientError) -> httpx.TransportError:
        kind = next(mapped for kind, mapped in errors if isinstance(exc, kind))
        return kind(str(exc) or type(exc).__name__)

    class Stream(httpx.AsyncByteStream):
        """An aiohttp response's body, its errors translated; closing it frees the connection."""

        def __init__(self, response: aiohttp.ClientResponse) -> None:
            self._response = response

        async def __aiter__(self) -> AsyncIterator[bytes]:
            try:
                async for chunk in self._response.content.iter_chunked(64 * 1024):
                    yield chunk
            except aiohttp.ClientError as exc:
                raise translated(exc) from exc

        async def aclose(self) -> None:
            self._response.release()

    def abandon(session: object) -> None:
        """Close a session without awaiting (its loop may be gone): its connections close now,
        or, if their loop has closed, are dropped; aiohttp then has nothing to warn about."""
        if isinstance(session, aiohttp.ClientSession) and not session.closed:
            connector = session.connector
            session.detach()
            if connector is not None:
                connector._close()  # the synchronous part of connector.close()

    class Transport(httpx_aiohttp.AiohttpTransport):
        """httpx-aiohttp's transport (its session and connector settings) with our own sending:
        the URL is sent exactly as httpx built it (yarl would re-encode an escaped path
        parameter: `%3D` sent as `=`), errors are translated, and a session serves one loop."""

        _loop: asyncio.AbstractEventLoop | None = None

        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            loop = asyncio.get_running_loop()
            if self._loop is not loop:  # a session made in another loop cannot serve this one
                abandon(self.client)
                self.client, self._loop = None, loop
            if not isinstance(self.client, aiohttp.ClientSession):
                self.client = self.get_client()
            timeouts = request.extensions.get("timeout", {})
            body: Any
            try:
                body = request.content or None
            except httpx.RequestNotRead:  # a stream: sent if the headers frame a body
                framed = "Content-Length" in request.headers
                if request.headers.pop("Transfer-Encoding", None) is not None:
                    framed = True  # aiohttp chunks it itself
                # (a redirected GET keeps an empty stream and has no body to send)
                body = request.stream if framed else None
            try:
                response = await self.client.request(
                    request.method,
                    yarl.URL(str(request.url), encoded=True),
                    headers=request.headers.multi_items(),
                    data=body,
                    allow_redirects=False,  # httpx follows redirects (and drops the key)
                    auto_decompress=False,  # httpx decodes
                    timeout=aiohttp.ClientTimeout(
                        sock_connect=timeouts.get("connect"),
                        sock_read=timeouts.get("read"),
                        connect=timeouts.get("pool"),
                    ),
                    server_hostname=request.extensions.get("sni_hostname"),
                )
            except aiohttp.ClientError as exc:
                raise translated(exc) from exc
            extensions: dict[str, Any] = {"http_version": b"HTTP/1.1"}
            if response.reason:
                extensions["reason_phrase"] = response.reason.encode("latin-1", "replace")
            return httpx.Response(
                status_code=response.status,
                headers=response.raw_headers,
                stream=Stream(response),
                request=request,
                extensions=extensions,
            )

        def get_client(self) -> aiohttp.ClientSession:
            session: aiohttp.ClientSession = super().get_client()
            # aiohttp resends a GET whose kept-alive connection was dropped, on its own;
            # docextract's retry policy decides (and counts) every resend
            session._retry_connection = False
            return session

        async def aclose(self) -> None:
            if isinstance(self.client, aiohttp.ClientSession):
                await self.client.close()
            self.client = None

        def __del__(self) -> None:  # a client dropped without aclose(): no warnings, no leak
            abandon(self.client)

    return Transport(verify=ssl_context, trust_env=False)
