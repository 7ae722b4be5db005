"""The user's own code: one invoice in, its fields out, through LlamaExtract."""

from pathlib import Path
from typing import Any

import docextract
from docextract.waiting import PollPolicy

SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "invoice_number": {"type": "string"},
        "total_amount": {"type": "number"},
        "currency": {"type": "string"},
    },
}


def read_invoice(document: Path, *, client: Any, poll: PollPolicy | None = None) -> dict[str, Any]:
    """Upload the invoice, start an extraction job, wait for it; the extracted fields."""
    job = docextract.submit(
        "llamacloud", "extract", client=client, document=str(document), data_schema=SCHEMA
    )
    done = docextract.wait(job, client=client, mode="poll", timeout="1m", poll=poll)
    result: dict[str, Any] = done.extract_result.to_dict()
    return result
