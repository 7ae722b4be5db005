"""`docextract batch`: many documents, one journal, one results file, resumable.

    report = run_batch(["invoices/"], provider="llamacloud", out="results.jsonl",
                       schema="invoice.schema.json")
    report = run_batch([...same...], ..., resume=True)      # after a crash or kill -9

Each document's submission is journaled (docextract.journal) before its creating request goes
out and again once the job exists, so a restart waits for created jobs instead of creating them
again, and skips finished ones. The results file (one JSON line per document, in the order
given) is written from the journal when the batch ends, atomically: it always holds every
document's latest outcome, resumed runs included.
"""

import asyncio
import json
import os
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from docextract.bulk import Finished, Item, extract_stream_async
from docextract.errors import DocExtractError, InvalidParameter
from docextract.extraction import load_schema, result_json
from docextract.jobs import Job
from docextract.journal import FINISHED, Entry, Journal, State, document_digest, params_digest


def _takes_ids(provider: str) -> bool:
    """Whether the provider's documents are provider-side IDs (its adapter says), not files."""
    from docextract.providers import get_provider

    return get_provider(provider).extraction.document_parameter != "document"


@attrs.frozen
class Document:
    position: int
    name: str  # the path as given (or found in a directory), or the provider-side ID
    source: Any  # what the submission takes
    key: str


@attrs.define
class BatchReport:
    total: int = 0
    completed: int = 0
    failed: int = 0
    skipped: int = 0  # finished in an earlier run: not redone
    resumed: int = 0  # created in an earlier run: waited for, not created again
    uncertain: int = 0  # an earlier run died while creating: not resubmitted
    running: int = 0
    errors: list[DocExtractError] = attrs.field(factory=list)
    out: str = ""
    journal: str = ""
    elapsed: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        data = attrs.asdict(self, filter=lambda a, _: a.name not in ("errors", "running"))
        data["elapsed"] = round(self.elapsed, 3)
        return data


def expand(paths: Sequence[str], provider: str) -> list[str]:
    """Files given or found (recursively, sorted) under the directories given; IDs as given."""
    if not paths:
        raise InvalidParameter("PATH", None, "at least one document")
    if _takes_ids(provider):
        return list(paths)
    found: list[str] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found.extend(str(p) for p in sorted(path.rglob("*")) if p.is_file())
        elif path.is_file():
            found.append(given)
        else:
            raise InvalidParameter("PATH", given, "an existing file or directory")
    if not found:
        raise InvalidParameter("PATH", " ".join(paths), "directories holding at least one file")
    return found


def _default_operation(provider: str) -> str:
    from docextract.providers import get_provider

    return get_provider(provider).extraction.operation


def _documents(
    names: list[str], provider: str, operation: str, digest_of_params: str
) -> list[Document]:
    documents = []
    for position, name in enumerate(names):
        doc_digest = document_digest(name)
        key = Journal.key(provider, operation, name, doc_digest, digest_of_params)
        source = name if _takes_ids(provider) else Path(name)
        documents.append(Document(position, name, source, key))
    return documents


async def run_batch_async(
    paths: Sequence[str],
    *,
    provider: str,
    out: str | Path,
    journal: str | Path | None = None,
    resume: bool = False,
    resubmit_uncertain: bool = False,
    schema: Any = None,
    project_id: str | None = None,
    on_change: Callable[[BatchReport], Any] = lambda report: None,
    **options: Any,
) -> BatchReport:
    """Run (or resume) a batch; see the module's docstring. `options` go to extract_all."""
    started = time.monotonic()
    names = expand(paths, provider)
    json_schema, _ = load_schema(schema)
    operation = str(options.get("operation", _default_operation(provider)))
    settings = {k: v for k, v in options.items() if k not in ("api_key", "on_progress", "clock")}
    digest_of_params = params_digest(
        {"provider": provider, "schema": json_schema, "project_id": project_id, **settings}
    )
    journal_path = Path(journal) if journal is not None else Path(f"{out}.journal.sqlite")
    documents = _documents(names, provider, operation, digest_of_params)
    report = BatchReport(total=len(documents), out=str(out), journal=str(journal_path))
    with Journal(journal_path) as book:
        if not resume and len(book):
            raise InvalidParameter(
                "--journal", str(journal_path), "a new journal, or --resume to continue this one"
            )
        items = _plan_items(book, documents, report, resubmit_uncertain)
        by_position = {d.position: d for d in documents}

        creating: set[int] = set()  # positions whose creating request went out

        def submitting(item: Item) -> None:
            creating.add(item.index)
            _submitting(book, by_position[item.index], provider, operation, digest_of_params)

        def submitted(item: Item, job: Job[Any]) -> None:
            book.created(by_position[item.index].key, job)

        for item in items:
            if item.job is None:  # known to the journal before any request, as `error`
                _register(book, by_position[item.index], provider, operation, digest_of_params)
        report.running = len(items)
        on_change(report)
        async for f in extract_stream_async(
            items,
            provider=provider,
            schema=schema,
            project_id=project_id,
            on_submitting=submitting,
            on_submitted=submitted,
            **options,
        ):
            _record(book, by_position[f.index], f, report, f.index in creating)
            on_change(report)
        _write_results(book, documents, Path(out))
    report.elapsed = time.monotonic() - started
    return report


def _submitting(book: Journal, d: Document, provider: str, operation: str, params: str) -> None:
    """The document's entry, as `submitting`: from here on its job may exist."""
    book.submitting(
        d.key,
        position=d.position,
        provider=provider,
        operation=operation,
        document=d.name,
        document_digest=document_digest(d.name),
        params_digest=params,
    )


def _register(book: Journal, d: Document, provider: str, operation: str, params: str) -> None:
    """The document known to the journal before any request, as `error` (not started)."""
    if book.get(d.key) is None:
        _submitting(book, d, provider, operation, params)
        book.failed(d.key, _NotStarted("not started yet"), job_exists=False)


class _NotStarted(Exception):
    pass


def _plan_items(
    book: Journal, documents: Iterable[Document], report: BatchReport, resubmit_uncertain: bool
) -> list[Item]:
    items = []
    for d in documents:
        entry: Entry | None = book.get(d.key)
        if entry is not None and entry.state in FINISHED:
            report.skipped += 1
            report.completed += entry.state is State.COMPLETED
            report.failed += entry.state is State.FAILED
        elif entry is not None and entry.state is State.CREATED and entry.job is not None:
            report.resumed += 1
            items.append(Item(d.position, d.source, entry.job))
        elif entry is not None and entry.state is State.SUBMITTING and not resubmit_uncertain:
            report.uncertain += 1
        else:
            items.append(Item(d.position, d.source))
    return items


def _record(book: Journal, d: Document, f: Finished, report: BatchReport, creating: bool) -> None:
    report.running -= 1
    if f.ok:
        book.finished(d.key, result_json(f.result), location=report.out)
        report.completed += 1
        return
    assert f.error is not None
    book.failed(d.key, f.error, job_exists=f.job is not None, creating=creating)
    report.failed += 1
    report.errors.append(f.error)


def _line(entry: Entry | None, d: Document) -> dict[str, Any]:
    line: dict[str, Any] = {"document": d.name}
    if entry is None:
        return {**line, "state": "not started"}
    line["state"] = entry.state.value
    line["job_id"] = entry.job.id if entry.job else None
    if entry.state is State.COMPLETED:
        line["result"] = entry.result
    elif entry.state is State.SUBMITTING:
        cause = entry.error or "a run died while its creating request was out"
        line["error"] = f"{cause}; a job may exist: not resubmitted (--resubmit-uncertain)"
    else:
        line["error"] = entry.error
    return line


def _write_results(book: Journal, documents: Iterable[Document], out: Path) -> None:
    temporary = out.with_name(f".{out.name}.partial")
    with temporary.open("w", encoding="utf-8") as file:
        for d in documents:
            file.write(json.dumps(_line(book.get(d.key), d), default=str) + "\n")
        file.flush()
        os.fsync(file.fileno())
    os.replace(temporary, out)


def run_batch(paths: Sequence[str], **options: Any) -> BatchReport:
    """The blocking twin of `run_batch_async`."""
    return asyncio.run(run_batch_async(paths, **options))


def summary_rows(report: BatchReport) -> Mapping[str, int]:
    return {
        "documents": report.total,
        "completed": report.completed,
        "failed": report.failed,
        "skipped (done before)": report.skipped,
        "resumed (created before)": report.resumed,
        "uncertain (not resubmitted)": report.uncertain,
    }
