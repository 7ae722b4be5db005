"""Replays tests/cassettes/llamacloud_invoice.yaml (recorded against `docextract sandbox`).

Re-record:  eval "$(docextract sandbox --env)" (in another shell: docextract sandbox), then
            pytest --docextract-record
"""

from pathlib import Path

import pytest
from invoice_pipeline import read_invoice

from docextract.waiting import PollPolicy

INVOICE = Path(__file__).parent / "invoice.txt"
POLL = PollPolicy(initial="200ms", maximum="200ms", jitter=0.0)  # when recording


@pytest.mark.docextract(cassette="cassettes/llamacloud_invoice.yaml", provider="llamacloud")
def test_reads_the_invoice(docextract_cassette):
    client = docextract_cassette.client()
    fields = read_invoice(INVOICE, client=client, poll=docextract_cassette.poll or POLL)
    assert fields["invoice_number"] == "INV-2026-0042"
    assert fields["currency"] == "EUR"
