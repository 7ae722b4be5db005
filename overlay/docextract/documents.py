"""Documents as the operations take them: a path or bytes, read once, checked before sending."""

import mimetypes
import os
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import attrs

from docextract.errors import InvalidParameter

DocumentInput = str | os.PathLike[str] | bytes
T = TypeVar("T")


@attrs.frozen
class Document:
    content: bytes = attrs.field(repr=lambda c: f"<{len(c)} bytes>")
    file_name: str
    mime_type: str

    def as_file(self, file_class: Callable[..., T]) -> T:
        """The generated package's `File` (bytes payload: async httpx refuses file objects)."""
        return file_class(payload=self.content, file_name=self.file_name, mime_type=self.mime_type)


def is_local_document(document: object) -> bool:
    """Bytes or a path to an existing file (anything else may be a provider-side ID)."""
    if isinstance(document, bytes | bytearray):
        return True
    return isinstance(document, str | os.PathLike) and Path(document).is_file()


def read_document(document: object, *, parameter: str = "document") -> Document:
    if isinstance(document, bytes | bytearray):
        if not document:
            raise InvalidParameter(parameter, "<0 bytes>", "a non-empty document")
        return Document(bytes(document), "document", "application/octet-stream")
    if not isinstance(document, str | os.PathLike):
        raise InvalidParameter(parameter, document, "a path to a file, or the document's bytes")
    path = Path(document)
    if not path.is_file():
        raise InvalidParameter(parameter, str(path), "a path to an existing file")
    content = path.read_bytes()
    if not content:
        raise InvalidParameter(parameter, str(path), "a non-empty file")
    mime, _ = mimetypes.guess_type(path.name)
    return Document(content, _sendable(path.name), mime or "application/octet-stream")


def _sendable(name: str) -> str:
    """The file name as UTF-8 can carry it: bytes no decoder read (os.fsdecode's surrogates,
    from a file name that is not UTF-8) become U+FFFD instead of failing the upload."""
    return name.encode("utf-8", errors="surrogateescape").decode("utf-8", errors="replace")
