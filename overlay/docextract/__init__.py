"""docextract: typed, contract-tested clients for document-extraction APIs."""

from docextract._version import __version__

__all__ = ["__version__"]
