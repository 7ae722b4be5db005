"""The TLS context of docextract's clients: verifying, with its CA bundle loaded on first use.

Loading the CA bundle is most of what building a client costs (~30 ms of CPU). httpx loads it
when a transport is made, so a client that only ever talks to an `http://` loopback server, or
a process that builds a client and exits, pays it for nothing. This context is the one
`httpx.create_ssl_context()` makes (same CA bundle, `SSL_CERT_FILE` / `SSL_CERT_DIR` honoured,
hostname checks, certificates required), except that the bundle is loaded by the first
handshake: every TLS connection, sync (`wrap_socket`) or asyncio (`wrap_bio`: asyncio, anyio and
aiohttp), goes through one of the two methods overridden here.
"""

import os
import ssl
import threading
from functools import cache
from typing import Any


class DeferredCAContext(ssl.SSLContext):
    """An `ssl.SSLContext` for clients that loads its CA certificates before its first use."""

    _loaded = False

    def load_ca_certificates(self) -> None:
        """Load the CA bundle now, if not yet done (thread-safe; later calls cost nothing)."""
        if self._loaded:
            return
        with _LOCK:
            if self._loaded:
                return
            # as httpx.create_ssl_context(verify=True, trust_env=True) chooses
            if os.environ.get("SSL_CERT_FILE"):
                self.load_verify_locations(cafile=os.environ["SSL_CERT_FILE"])
            elif os.environ.get("SSL_CERT_DIR"):
                self.load_verify_locations(capath=os.environ["SSL_CERT_DIR"])
            else:
                import certifi

                self.load_verify_locations(cafile=certifi.where())
            self._loaded = True

    def wrap_socket(self, *args: Any, **kwargs: Any) -> ssl.SSLSocket:
        self.load_ca_certificates()
        return super().wrap_socket(*args, **kwargs)

    def wrap_bio(self, *args: Any, **kwargs: Any) -> ssl.SSLObject:
        self.load_ca_certificates()
        return super().wrap_bio(*args, **kwargs)


_LOCK = threading.Lock()


@cache
def client_context() -> ssl.SSLContext:
    """The process's one client context (shared by every docextract client)."""
    context = DeferredCAContext(ssl.PROTOCOL_TLS_CLIENT)  # hostname checks, CERT_REQUIRED
    keylog = os.environ.get("SSLKEYLOGFILE")  # as ssl.create_default_context() does
    if keylog:
        context.keylog_filename = keylog
    return context
