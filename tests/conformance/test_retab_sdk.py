"""retab 0.0.118, Retab's last official SDK with `projects.extract`, as the outside oracle. It
imports on Python 3.12 only, so it runs in its own interpreter (`DOCEXTRACT_RETAB_PYTHON`, set by
`nox -s conformance` when a 3.12 is found) through retab_probe.py: the SDK's own calls, sync and
async, one document and several, against this sandbox (with its default `Api-Key` header), and
its model on every fixture body."""

import json
import os
import subprocess
from pathlib import Path

import pytest
import sdk_oracles as oracles
from conftest import KEY

from docextract.sandbox import Sandbox

PYTHON = os.environ.get("DOCEXTRACT_RETAB_PYTHON")
if not PYTHON:
    pytest.skip(
        "retab==0.0.118 needs Python 3.12, and no interpreter with it was given "
        "(DOCEXTRACT_RETAB_PYTHON; `nox -s conformance` sets it when a Python 3.12 exists)",
        allow_module_level=True,
    )
PROBE = Path(__file__).with_name("retab_probe.py")
INVOICE_TEXT = "Invoice number: INV-2026-0042\nVendor: Acme Supplies Ltd\nTotal amount: 1284.50\n"


def test_the_sdk_talks_to_the_sandbox_and_parses_every_fixture(sandbox: Sandbox) -> None:
    bodies = []
    for answer in oracles.answers("retab"):
        if oracles.unmodelled("retab", answer.operation, answer.status) or answer.bodiless:
            continue  # listed, with its reason, in disagreements.yaml (or nothing to parse)
        assert answer.status == "200", f"{answer.where}: no SDK model and not listed"
        bodies.append([answer.where, answer.body])
    task = {
        "base_url": sandbox.base_url("retab") + "/v1",
        "api_key": KEY,
        "project": "proj_invoice",
        "document": INVOICE_TEXT,
        "bodies": bodies,
    }
    run = subprocess.run(
        [str(PYTHON), str(PROBE)],
        input=json.dumps(task),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert out["problems"] == []
    assert set(out["results"]) == {
        "projects.extract(document)",
        "projects.extract(documents)",
        "async projects.extract(document)",
    }
    for parsed in out["results"].values():
        assert parsed["invoice_number"] == "INV-2026-0042"
    assert sandbox.stats().requests_to("retab", "POST /v1/projects/extract/{project_id}") == 3
    assert bodies, "no fixture body was checked"
