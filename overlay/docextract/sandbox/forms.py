"""multipart/form-data bodies, read with the standard library's MIME parser.

(Starlette's own form parser needs python-multipart, which the `sandbox` extra does not install.)
"""

import email.parser
import email.policy
from email.message import EmailMessage

import attrs
from starlette.requests import Request


@attrs.frozen
class Part:
    """One part of a form: its bytes, and the file name when it is a file."""

    data: bytes
    filename: str | None = None

    def text(self) -> str:
        return self.data.decode("utf-8", errors="replace")


async def read_form(request: Request) -> dict[str, Part]:
    """The parts of a multipart body by name (the last one wins); {} for any other body."""
    return dict(await read_parts(request))


async def read_parts(request: Request) -> list[tuple[str, Part]]:
    """Every part of a multipart body with its name, in order (a name may repeat); [] for any
    other body."""
    content_type = request.headers.get("content-type", "")
    if not content_type.lower().startswith("multipart/form-data"):
        return []
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode("latin-1", "replace")
    parser = email.parser.BytesParser(_class=EmailMessage, policy=email.policy.HTTP)
    message = parser.parsebytes(head + await request.body())
    parts: list[tuple[str, Part]] = []
    if not isinstance(message, EmailMessage) or not message.is_multipart():
        return parts
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        if isinstance(name, str) and isinstance(payload, bytes):
            parts.append((name, Part(payload, part.get_filename())))
    return parts
