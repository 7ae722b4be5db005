"""A client library for accessing LlamaCloud LlamaExtract API"""

from .client import AuthenticatedClient, Client

__all__ = (
    "AuthenticatedClient",
    "Client",
)
