#!/usr/bin/env python3
"""The main job, on the bundled sandbox: one extraction per provider, and one through the CLI.

Starts `docextract sandbox` on a free loopback port, runs docextract.extract() for NuMind (typed
by a model the build generates from examples/invoice.schema.json), LlamaCloud (uploading the
document, the schema inline), Retab and Contextual, then `docextract extract ... --json`, prints
a table, stops the sandbox. Exits non-zero if anything did not work.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docextract
from docextract.sandbox import Sandbox, sandbox_process

ROOT = Path(__file__).resolve().parent.parent
INVOICE = ROOT / "examples" / "invoice.txt"
SCHEMA = ROOT / "examples" / "invoice.schema.json"
KEY = "sandbox"


def invoice_model(folder: Path) -> type:
    """The build's model of the invoice template (scripts/generate.py --schema)."""
    target = folder / "invoice_model.py"
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "generate.py"), "--schema", str(SCHEMA),
         "--output", str(target), "--class-name", "Invoice"],
        check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    spec = importlib.util.spec_from_file_location("invoice_model", target)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load the generated model {target}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    model: type = module.Invoice
    return model


def preview(data: Any, width: int = 58) -> str:
    if hasattr(data, "model_dump"):
        data = data.model_dump(mode="json", exclude_none=True)
    text = json.dumps(data, separators=(",", ":"), default=str)
    return text if len(text) <= width else text[: width - 1] + "…"


def run(sandbox: Sandbox, provider: str, call: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    before = sandbox.stats().requests_to(provider)
    started = time.monotonic()
    row = call()
    row["seconds"] = time.monotonic() - started
    row["requests"] = sandbox.stats().requests_to(provider) - before
    return row


def with_facade(result: docextract.ExtractionResult, how: str) -> dict[str, Any]:
    return {
        "provider": result.provider,
        "operation": how,
        "job": result.job_id or "-",
        "status": result.status or "-",
        "data": result.data,
        "warnings": result.warnings,
    }


def with_cli(url: str) -> dict[str, Any]:
    env = {**os.environ, "LLAMA_CLOUD_API_KEY": KEY}
    command = [
        sys.executable, "-m", "docextract", "extract", str(INVOICE), "--provider", "llamacloud",
        "--schema", str(SCHEMA), "--base-url", f"{url}/llamacloud", "--json",
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        raise SystemExit(f"CLI extraction failed ({done.returncode}): {done.stdout}{done.stderr}")
    answer = json.loads(done.stdout)
    return {
        "provider": "llamacloud",
        "operation": "CLI extract",
        "job": answer["job_id"],
        "status": answer["status"],
        "data": answer["data"],
        "warnings": answer["warnings"],
    }


def main() -> int:
    rows = []
    with sandbox_process("--step-seconds", "0.3") as (url, process):
        sandbox = Sandbox(url, KEY)
        print(f"sandbox: {url}")
        common = {"api_key": KEY, "timeout": "1m"}
        with tempfile.TemporaryDirectory() as tmp:
            invoice = invoice_model(Path(tmp))
            rows.append(run(sandbox, "numind", lambda: with_facade(docextract.extract(
                INVOICE, provider="numind", project_id="numind-invoice", schema=invoice,
                base_url=sandbox.base_url("numind"), **common), "extract structured")))  # fmt: skip
        rows.append(run(sandbox, "llamacloud", lambda: with_facade(docextract.extract(
            INVOICE, provider="llamacloud", schema=SCHEMA,
            base_url=sandbox.base_url("llamacloud"), **common), "upload + extract")))  # fmt: skip
        rows.append(run(sandbox, "retab", lambda: with_facade(docextract.extract(
            INVOICE, provider="retab", project_id="proj_invoice",
            base_url=sandbox.base_url("retab"), **common), "project extract")))  # fmt: skip
        rows.append(run(sandbox, "contextual", lambda: with_facade(docextract.extract(
            str(uuid.uuid5(uuid.NAMESPACE_URL, "demo-document")), provider="contextual",
            schema_id=str(uuid.uuid5(uuid.NAMESPACE_URL, "demo-schema")),
            base_url=sandbox.base_url("contextual"), **common), "extract job")))  # fmt: skip
        rows.append(run(sandbox, "llamacloud", lambda: with_cli(url)))
    header = (
        f"{'provider':<11} {'operation':<19} {'job id':<40} {'status':<10} "
        f"{'time':>6} {'reqs':>4}  data"
    )
    print(header)
    print("-" * len(header))
    for r in rows:
        print(
            f"{r['provider']:<11} {r['operation']:<19} {r['job']:<40} {r['status']:<10} "
            f"{r['seconds']:>5.2f}s {r['requests']:>4}  {preview(r['data'])}"
        )
        for warning in r["warnings"]:
            print(f"{'':<11} warning: {warning}")
    print(f"sandbox stopped (exit {process.returncode})")
    return 0 if process.returncode == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
