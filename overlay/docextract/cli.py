"""The `docextract` command.

    docextract extract (FILE | --document-id ID) --provider P [--schema FILE | --schema-id ID]
                       [--project-id ID] [--timeout 5m] [--base-url URL] [--json]
    docextract jobs status|wait|cancel P JOB_ID [--timeout 10m] [--base-url URL] [--json]
    docextract batch PATH... --provider P --out results.jsonl [--journal FILE] [--resume]
    docextract generate [--provider P] [--check] [--accept-breaking]   ([tool.docextract])
    docextract init PROVIDER
    docextract spec-diff OLD NEW [--json]
    docextract sandbox [--port 0] [--api-key KEY] ...

Keys come from the environment (NUMIND_API_KEY, LLAMA_CLOUD_API_KEY, RETAB_API_KEY,
CONTEXTUAL_API_KEY) or --api-key, which is never echoed.
"""

import argparse
import contextlib
import json
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

from docextract.cli_messages import describe
from docextract.errors import (
    APIError,
    DeadlineExceeded,
    DocExtractError,
    InvalidParameter,
    InvalidResponse,
    JobCancelled,
    JobFailed,
    JobTimeout,
    MissingAPIKey,
    TransportError,
)
from docextract.extras import MissingExtra, require
from docextract.logs import configure_logging
from docextract.providers import PROVIDERS

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_API, EXIT_JOB_FAILED, EXIT_TIMEOUT = 0, 1, 2, 3, 4, 5
EXIT_CODES = f"""exit codes:
  {EXIT_OK}  success
  {EXIT_USAGE}  bad input (arguments, parameters out of range, missing key)
  {EXIT_API}  the provider answered with an error, or could not be reached
  {EXIT_JOB_FAILED}  the job failed or was cancelled
  {EXIT_TIMEOUT}  the job did not finish in time
  {EXIT_ERROR}  anything else"""


JOB_ACTIONS = ("status", "wait", "cancel")


def _keys_help() -> str:
    lines = [f"  {p.name:<12} {p.env_var}" for p in PROVIDERS.values()]
    return "API keys (or --api-key):\n" + "\n".join(lines)


def exit_code(error: BaseException) -> int:
    if isinstance(error, JobTimeout | DeadlineExceeded):
        return EXIT_TIMEOUT
    if isinstance(error, JobFailed | JobCancelled):
        return EXIT_JOB_FAILED
    if isinstance(error, InvalidParameter | MissingAPIKey | ValueError):
        return EXIT_USAGE
    if isinstance(error, APIError | TransportError | InvalidResponse):
        return EXIT_API
    return EXIT_ERROR


# ---------------------------------------------------------------- progress


class Progress:
    """Status, elapsed time and progress while waiting: live on a terminal, lines otherwise."""

    def __init__(self, stream: TextIO, *, enabled: bool) -> None:
        self.stream, self.enabled = stream, enabled
        self.live: Any = None
        if enabled and stream.isatty():
            try:
                from rich.console import Console
                from rich.status import Status
            except ImportError:  # the `cli` extra is not installed: plain lines
                return
            self.live = Status("submitting…", console=Console(file=stream))
            self.live.start()

    def __call__(self, progress: Any) -> None:
        if not self.enabled:
            return
        parts = [f"{progress.provider} job {progress.job_id}: {progress.status}"]
        parts.append(f"{progress.elapsed.total_seconds():.1f}s")
        if progress.percentage is not None:
            parts.append(f"{progress.percentage:.0f}%")
        if progress.fields_processed is not None and progress.total_fields:
            parts.append(f"{progress.fields_processed}/{progress.total_fields} fields")
        line = " · ".join(parts)
        if self.live is not None:
            self.live.update(line)
        else:
            print(line, file=self.stream, flush=True)

    def close(self) -> None:
        if self.live is not None:
            self.live.stop()


# ---------------------------------------------------------------- commands


def _client_options(args: argparse.Namespace) -> dict[str, Any]:
    options: dict[str, Any] = {}
    if args.base_url:
        options["base_url"] = args.base_url
    if args.api_key:
        options["api_key"] = args.api_key
    if args.max_retries is not None:
        options["max_retries"] = args.max_retries
    if args.allow_insecure_http:
        options["allow_insecure_http"] = True
    return options


def _json_object(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise argparse.ArgumentTypeError(f"not JSON: {exc}") from None
    if not isinstance(value, dict):
        raise argparse.ArgumentTypeError("a JSON object ({...})")
    return value


def _param(text: str) -> tuple[str, Any]:
    name, sep, raw = text.partition("=")
    if not sep or not name.strip():
        raise argparse.ArgumentTypeError("NAME=VALUE")
    try:
        return name.strip(), json.loads(raw)
    except json.JSONDecodeError:
        return name.strip(), raw


def _operation_options(args: argparse.Namespace) -> dict[str, Any]:
    """The flags of the providers' own parameters, under the library's names."""
    options: dict[str, Any] = dict(args.param)
    for name in ("schema_id", "configuration_id", "organization_id", "temperature"):
        if getattr(args, name) is not None:
            options[name] = getattr(args, name)
    if args.config is not None:
        options["configuration" if args.provider == "llamacloud" else "config"] = args.config
    if args.cancel_on_timeout:
        options["cancel_on_timeout"] = True
    return options


def cmd_extract(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from docextract.extraction import extract

    if (args.file is None) == (args.document_id is None):
        given = [a for a, v in (("FILE", args.file), ("--document-id", args.document_id)) if v]
        raise InvalidParameter("FILE/--document-id", " and ".join(given) or None, "exactly one")
    options: dict[str, Any] = {
        **_client_options(args),
        **_operation_options(args),
        "mode": args.mode,
    }
    progress = Progress(err, enabled=not args.json)
    options["on_progress"] = progress
    try:
        result = extract(
            args.file or args.document_id,
            provider=args.provider,
            schema=args.schema,
            project_id=args.project_id,
            timeout=args.timeout,
            **options,
        )
    finally:
        progress.close()
    from docextract.extraction import result_json

    report = result_json(result)
    if args.json:
        json.dump(report, out, default=str)
        out.write("\n")
    else:
        where = f" job {result.job_id}" if result.job_id else ""
        print(f"{result.provider}{where}: {result.status} in {result.elapsed:.1f}s", file=out)
        for warning in result.warnings:
            print(f"warning: {warning}", file=out)
        print(json.dumps(report["data"], indent=2, default=str), file=out)
    return EXIT_OK


def cmd_jobs(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from docextract import jobs
    from docextract.clients import client
    from docextract.lifecycles import Phase
    from docextract.providers.adapter import plain

    report: dict[str, Any] = {"provider": args.provider, "job_id": args.job_id}
    if args.action == "cancel" and args.provider not in supporting("cancel"):
        allowed = "one whose jobs can be cancelled: " + ", ".join(supporting("cancel"))
        raise InvalidParameter("provider", args.provider, allowed)
    with client(args.provider, **_client_options(args)) as api:
        if args.action == "status":
            snapshot = jobs.status(args.provider, args.job_id, client=api)
            report |= {"status": snapshot.status, "phase": snapshot.phase.value}
            report["percentage"] = snapshot.percentage
        elif args.action == "cancel":
            before = jobs.status(args.provider, args.job_id, client=api)
            if before.phase is not Phase.RUNNING:
                # cancelling an ended job changes nothing; some providers answer 200 anyway
                report |= {"cancelled": False, "status": before.status}
                report["message"] = (
                    f"nothing was cancelled: the job had already ended ({before.status})"
                )
            else:
                report["answer"] = plain(jobs.cancel(args.provider, args.job_id, client=api))
                report["cancelled"] = True
        else:
            progress = Progress(err, enabled=not args.json)
            try:
                outcome = jobs.wait_outcome(
                    args.provider,
                    args.job_id,
                    client=api,
                    timeout=args.timeout,
                    mode=args.mode,
                    on_progress=progress,
                )
            finally:
                progress.close()
            report |= {"status": outcome.snapshot.status, "result": plain(outcome.result)}
    if args.json:
        json.dump(report, out, default=str)
        out.write("\n")
    else:
        if report.get("message"):
            print(f"docextract: {report['message']}", file=err)
        print(json.dumps(report, indent=2, default=str), file=out)
    return EXIT_OK


class BatchProgress:
    """A rich progress bar (done / running / failed, rate, ETA) on a terminal; nothing otherwise."""

    def __init__(self, stream: TextIO, *, enabled: bool) -> None:
        self.bar: Any = None
        self.task: Any = None
        self.started = 0.0
        if not (enabled and stream.isatty()):
            return
        try:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )
        except ImportError:  # the `cli` extra is not installed
            return
        self.bar = Progress(
            TextColumn("batch"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[detail]}"),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=Console(file=stream),
        )
        self.bar.start()

    def __call__(self, report: Any) -> None:
        import time

        if self.bar is None:
            return
        if self.task is None:
            self.started = time.monotonic()
            self.task = self.bar.add_task("batch", total=report.total, detail="")
        finished = report.completed + report.failed
        rate = (finished - report.skipped) / max(time.monotonic() - self.started, 1e-3)
        detail = (
            f"done {report.completed} · running {report.running} · failed {report.failed}"
            f" · {rate:.1f}/s"
        )
        self.bar.update(self.task, completed=finished + report.uncertain, detail=detail)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


def _summary(report: Any, err: TextIO) -> None:
    from docextract.batch import summary_rows

    rows = summary_rows(report)
    try:
        from rich.console import Console
        from rich.table import Table
    except ImportError:
        for name, count in rows.items():
            print(f"{name}: {count}", file=err)
        return
    table = Table(title=f"batch: {report.out} (journal {report.journal})")
    table.add_column("documents")
    table.add_column("count", justify="right")
    for name, count in rows.items():
        table.add_row(name, str(count))
    Console(file=err).print(table)
    for error in report.errors[:10]:
        print(f"docextract: {error}", file=err)
    if len(report.errors) > 10:
        print(f"docextract: ... and {len(report.errors) - 10} more errors", file=err)


def cmd_batch(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from docextract.batch import run_batch

    if args.concurrency is not None and args.concurrency < 1:
        raise InvalidParameter("--concurrency", args.concurrency, "an integer >= 1")
    options: dict[str, Any] = {**_client_options(args), "mode": args.mode}
    if args.schema_id:
        options["schema_id"] = args.schema_id
    if args.concurrency is not None:
        options["concurrency"] = args.concurrency
    progress = BatchProgress(err, enabled=not args.json)
    try:
        report = run_batch(
            args.paths,
            provider=args.provider,
            out=args.out,
            journal=args.journal,
            resume=args.resume,
            resubmit_uncertain=args.resubmit_uncertain,
            schema=args.schema,
            project_id=args.project_id,
            timeout=args.timeout,
            on_change=progress,
            **options,
        )
    finally:
        progress.close()
    if args.json:
        json.dump(report.as_dict(), out)
        out.write("\n")
    else:
        _summary(report, err)
    if report.errors:
        return exit_code(report.errors[0])
    return EXIT_JOB_FAILED if report.failed or report.uncertain else EXIT_OK


def supporting(action: str) -> list[str]:
    """The providers whose jobs `docextract jobs ACTION` can act on."""
    with_jobs = [name for name, p in PROVIDERS.items() if p.lifecycle is not None]
    if action != "cancel":
        return sorted(with_jobs)
    return sorted(name for name in with_jobs if PROVIDERS[name].capabilities.cancel)


def jobs_epilog() -> str:
    lines = ["providers, per action:"]
    lines += [f"  {action:<7} {', '.join(supporting(action))}" for action in JOB_ACTIONS]
    lines.append("  (Retab has no jobs: its extraction answers at once)")
    return "\n".join(lines) + "\n\n" + EXIT_CODES


def cmd_generate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Build the clients a project's `[tool.docextract]` (or docextract.toml) names; in this
    repository's checkout without one, its own four (scripts/generate.py)."""
    require("generate", "docextract generate")
    from docextract import project
    from docextract.generator import BuildError

    config = project.find_config(Path.cwd())
    if config is None:
        return _generate_checkout(args)
    try:
        with contextlib.redirect_stdout(out):
            return project.generate(
                project.load(config),
                only=args.provider or (),
                check=args.check,
                accept_breaking=args.accept_breaking,
            )
    except BuildError as error:
        print(f"docextract: {error}", file=err)
        return EXIT_ERROR


def _generate_checkout(args: argparse.Namespace) -> int:
    for folder in (Path.cwd(), *Path.cwd().parents):
        script = folder / "scripts" / "generate.py"
        if script.is_file() and (folder / "specs").is_dir():
            break
    else:
        raise InvalidParameter(
            "generate",
            str(Path.cwd()),
            "a project with [tool.docextract] in pyproject.toml, or a docextract.toml "
            "(start one with `docextract init PROVIDER`)",
        )
    command = [sys.executable, str(script), "--report-changes"]
    for provider in args.provider or ():
        command += ["--provider", provider]
    if args.check:
        command.append("--check")
    if args.accept_breaking:
        command.append("--accept-breaking")
    return subprocess.run(command, check=False).returncode  # noqa: S603 (our own build script)


def cmd_init(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from docextract.project import init

    if args.upstream is not None:
        require("generate", "docextract init --upstream")
    _, done = init(args.provider, Path.cwd(), args.upstream)
    for line in done:
        print(line, file=out)
    print("next: docextract generate", file=out)
    return EXIT_OK


def cmd_spec_diff(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from docextract.spec_diff import main as spec_diff_main

    # spec_diff prints to sys.stdout/sys.stderr: send that to this command's streams
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        return spec_diff_main([args.old, args.new, *(["--json"] if args.json else [])])


def run_sandbox(argv: Sequence[str]) -> int:
    """`docextract sandbox ARGS`: its own parser takes every argument (see `--help`)."""
    require("sandbox", "docextract sandbox")
    from docextract.sandbox.server import main as sandbox_main

    code: int = sandbox_main(list(argv))
    return code


# ---------------------------------------------------------------- parser


def flags_of(top: argparse.ArgumentParser) -> frozenset[str]:
    """Every option string of the command and its subcommands (for naming flags in errors)."""
    found: set[str] = set()
    pending = [top]
    while pending:
        current = pending.pop()
        for action in current._actions:
            found.update(action.option_strings)
            if isinstance(action, argparse._SubParsersAction):
                pending.extend(action.choices.values())
    return frozenset(found)


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="docextract",
        description="Typed, contract-tested clients for document-extraction APIs.",
        epilog=f"{EXIT_CODES}\n\n{_keys_help()}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = top.add_subparsers(dest="command", required=True)
    providers = sorted(PROVIDERS)

    def connection(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--base-url", help="the provider's API root (default: the spec's)")
        sub.add_argument("--api-key", help="the key (default: the provider's variable)")
        sub.add_argument("--json", action="store_true", help="machine-readable output only")
        sub.add_argument("--mode", choices=("auto", "poll", "stream"), default="auto")
        sub.add_argument(
            "--max-retries", type=int, default=None, help="resends on failure (default 2)"
        )
        sub.add_argument(
            "--allow-insecure-http", action="store_true", help="plain http:// to a remote host"
        )

    extract = commands.add_parser(
        "extract", help="extract data from a document", epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )  # fmt: skip
    extract.add_argument("file", nargs="?", help="the document (a path)")
    extract.add_argument("--document-id", help="a provider-side document or file ID")
    extract.add_argument("--provider", required=True, choices=providers)
    extract.add_argument("--schema", help="a JSON Schema file, for a provider taking one inline")
    extract.add_argument("--schema-id", help="a provider-side schema's ID")
    extract.add_argument("--project-id", help="a provider-side project's ID")
    extract.add_argument("--configuration-id", help="LlamaCloud's saved extraction configuration")
    extract.add_argument("--organization-id", help="LlamaCloud's organization")
    extract.add_argument(
        "--config",
        type=_json_object,
        help="JSON object: Contextual's config, or LlamaCloud's inline configuration",
    )
    extract.add_argument("--temperature", type=float, help="NuMind's or Retab's temperature")
    extract.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        type=_param,
        help="any other parameter of the provider's operation (VALUE as JSON, else text), "
        "e.g. --param rasterization_dpi=170",
    )
    extract.add_argument(
        "--cancel-on-timeout", action="store_true", help="cancel the job if time runs out"
    )
    extract.add_argument("--timeout", default="5m", help="total time allowed (default 5m)")
    connection(extract)
    extract.set_defaults(run=cmd_extract)

    jobs = commands.add_parser(
        "jobs", help="look at, wait for or cancel a job", epilog=jobs_epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )  # fmt: skip
    jobs.add_argument("action", choices=JOB_ACTIONS)
    jobs.add_argument("provider", choices=supporting("status"))
    jobs.add_argument("job_id")
    jobs.add_argument("--timeout", default="10m", help="for wait: total time allowed")
    connection(jobs)
    jobs.set_defaults(run=cmd_jobs)

    batch = commands.add_parser(
        "batch", help="extract from many documents, resumably", epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )  # fmt: skip
    batch.add_argument(
        "paths", nargs="+", metavar="PATH", help="files or directories (IDs for Contextual)"
    )
    batch.add_argument("--provider", required=True, choices=providers)
    batch.add_argument("--out", required=True, help="the results file (JSON lines, in order)")
    batch.add_argument("--journal", help="the SQLite journal (default: OUT.journal.sqlite)")
    batch.add_argument("--resume", action="store_true", help="continue the journal's batch")
    batch.add_argument(
        "--resubmit-uncertain", action="store_true",
        help="resubmit documents whose job a crashed run may have created",
    )  # fmt: skip
    batch.add_argument("--schema", help="a JSON Schema file (LlamaCloud's data_schema)")
    batch.add_argument("--schema-id", help="Contextual's schema ID")
    batch.add_argument("--project-id", help="NuMind's or Retab's project ID")
    batch.add_argument("--timeout", default="10m", help="time allowed per document (default 10m)")
    batch.add_argument("--concurrency", type=int, help="requests in flight (default: the pool)")
    connection(batch)
    batch.set_defaults(run=cmd_batch)

    generate = commands.add_parser(
        "generate",
        help="regenerate the clients [tool.docextract] names (needs the `generate` extra)",
        description="Build typed clients from the specs the project's [tool.docextract] table "
        "(pyproject.toml) or docextract.toml names; reports each spec's changes first.",
    )
    generate.add_argument("--provider", action="append", help="only this one (repeatable)")
    generate.add_argument(
        "--check", action="store_true", help="fail if the generated code is out of step"
    )
    generate.add_argument(
        "--accept-breaking",
        action="store_true",
        help="regenerate even if the change breaks the wire or the Python API",
    )
    generate.set_defaults(run=cmd_generate)

    init = commands.add_parser("init", help="add a provider to the project's [tool.docextract]")
    init.add_argument("provider", help="a bundled provider (numind, ...) or a name of your own")
    init.add_argument(
        "--upstream",
        type=Path,
        metavar="PATH",
        help="the provider's published OpenAPI document: generate imports the operations you list",
    )
    init.set_defaults(run=cmd_init)

    diff = commands.add_parser(
        "spec-diff", help="what changed between two specs, for a client",
        description="What changed for a client between two OpenAPI specs, breaking first.",
        epilog="exit codes:\n  0  nothing breaks a client\n  1  something breaks a client"
        "\n  2  a spec cannot be read",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )  # fmt: skip
    diff.add_argument("old")
    diff.add_argument("new")
    diff.add_argument("--json", action="store_true")
    diff.set_defaults(run=cmd_spec_diff)

    # listed for --help; main() hands its arguments to the sandbox's own parser
    commands.add_parser("sandbox", help="run the local sandbox of the providers")
    return top


def main(
    argv: Sequence[str] | None = None, out: TextIO = sys.stdout, err: TextIO = sys.stderr
) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        configure_logging()
        if argv[:1] == ["sandbox"]:
            return run_sandbox(argv[1:])
    except (InvalidParameter, MissingExtra) as error:
        print(f"docextract: {error}", file=err)
        return EXIT_USAGE
    top = parser()
    args = top.parse_args(argv)
    run: Callable[[argparse.Namespace, TextIO, TextIO], int] = args.run
    try:
        return run(args, out, err)
    except MissingExtra as error:
        print(f"docextract: {error}", file=err)
        return EXIT_USAGE
    except DocExtractError as error:
        code = exit_code(error)
        if getattr(args, "json", False):
            payload = {
                "error": {
                    "type": type(error).__name__,
                    "message": describe(error, flags_of(top), getattr(args, "timeout", None)),
                    "provider": getattr(error, "provider", None),
                    "job_id": getattr(error, "job_id", None),
                    "status_code": getattr(error, "status_code", None),
                }
            }
            json.dump(payload, out)
            out.write("\n")
        else:
            message = describe(error, flags_of(top), getattr(args, "timeout", None))
            print(f"docextract: {message}", file=err)
        return code
    except KeyboardInterrupt:
        return 130
