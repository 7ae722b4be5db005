"""What one provider's adapter declares; docextract's generic modules read nothing else.

An adapter module (docextract/providers/<name>.py) builds one `Provider` and the registry
(docextract.providers) lists it. Everything that differs between providers lives there: the key
variable, the read timeout, the job lifecycle, the submittable operations, how `extract()` reads
a result, and the capabilities.
"""

import importlib
from collections.abc import Awaitable, Callable, Mapping
from datetime import timedelta
from functools import cached_property
from types import ModuleType
from typing import Any

import attrs

from docextract.errors import InvalidParameter
from docextract.lifecycles import Lifecycle, Submission, is_unset
from docextract.limits import Limit

Planner = Callable[[dict[str, Any]], Submission]
"""Plans one job's creation from the operation's keyword parameters (it pops what it uses and
refuses what is left, naming it)."""


@attrs.frozen
class BatchLookup:
    """A list operation that filters by job IDs: one request looks at a page of jobs.

    `operation_id` is called with `params(job_ids)`; its parsed answer's `items` are the jobs'
    status models (each with its `id`). Used only where the vendored spec has `id_parameter`
    (`enabled`), so a spec that gains the filter turns it on with no edit here.
    """

    operation_id: str
    id_parameter: str
    page_size: int
    extra: Callable[[], dict[str, Any]] = dict

    def params(self, job_ids: list[str]) -> dict[str, Any]:
        return {self.id_parameter: job_ids, "page_size": len(job_ids), **self.extra()}

    def enabled(self, facts: Mapping[str, Any]) -> bool:
        operation = facts["operations"].get(self.operation_id, {})
        return self.id_parameter in operation.get("parameters", {})


@attrs.frozen
class Capabilities:
    """What a provider's API offers beyond submitting a job and looking at it.

    The place for more: a new capability is a field here with a default that means "not
    offered" (so adapters that do not declare it stay valid), set by the adapters that have it.
    """

    stream: bool = False  # an event stream of a created job's progress
    stream_on_create: bool = False  # a creating request that streams the job's progress
    cancel: bool = False
    list_jobs: bool = False
    batch_status: bool = False  # one request looks at many jobs
    max_concurrent_submissions: int | None = None  # None: the provider documents no limit
    # how fast jobs may be created: a pace, creating requests at once, jobs active at once
    # (docextract.bulk); a 429 slows the pace further (docextract.limits)
    submissions: Limit = attrs.field(factory=Limit)
    batch_lookup: BatchLookup | None = (
        None  # one request per page of job IDs, where the spec has it
    )


@attrs.frozen
class Summary:
    """A provider's result read the same way for all: what `ExtractionResult` shows."""

    data: Any
    usage: Mapping[str, Any] = attrs.field(factory=dict)
    confidence: Any = None
    warnings: tuple[str, ...] = ()


@attrs.frozen
class Extraction:
    """How `extract()` drives the provider.

    operation: the operation submitted (a job's) or run (a synchronous one) by default.
    document_parameter: the parameter the document goes to.
    schema_parameter: where an inline JSON Schema goes; None: the schema is kept server-side,
        and a model class only types the result.
    summarize: (operation, the typed result) -> Summary.
    """

    operation: str
    summarize: Callable[[str, Any], Summary]
    document_parameter: str = "document"
    schema_parameter: str | None = None


@attrs.frozen
class Synchronous:
    """An extraction answered in one request (no job): its sync and asyncio runners, called
    with the client and the operation's keyword parameters (string-keyed, checked by name)."""

    run: Callable[[Any, Mapping[str, Any]], Any]
    run_async: Callable[[Any, Mapping[str, Any]], Awaitable[Any]]


@attrs.frozen(slots=False)  # slots=False: cached_property stores in the instance __dict__
class Provider:
    """One provider's adapter: facts of its spec (through the build) and its behaviour."""

    name: str
    env_var: str
    extraction: Extraction
    operations: Mapping[str, Planner] = attrs.field(factory=dict)  # submittable, by name
    lifecycle: Lifecycle | None = None  # None: no jobs (see `synchronous`)
    synchronous: Synchronous | None = None
    capabilities: Capabilities = Capabilities()
    read_timeout: timedelta = timedelta(seconds=60)
    package: str = attrs.field(
        default=attrs.Factory(lambda self: f"{self.name}_client", takes_self=True)
    )
    # where the base URL is read from when none is given: the variable the provider's official
    # SDK reads, else <KEY VARIABLE without _API_KEY>_BASE_URL
    base_url_env: str = attrs.field(
        default=attrs.Factory(
            lambda self: f"{self.env_var.removesuffix('_API_KEY')}_BASE_URL", takes_self=True
        )
    )

    @cached_property
    def facts(self) -> Mapping[str, Any]:
        """What the build read from the spec (generated/<provider>_client/spec_facts.py)."""
        module = importlib.import_module(f"{self.package}.spec_facts")
        facts: Mapping[str, Any] = module.SPEC_FACTS
        return facts

    @property
    def default_base_url(self) -> str:
        return str(self.facts["server_url"])

    @property
    def auth_header(self) -> str:
        return str(self.facts["security"]["header"])

    @property
    def auth_prefix(self) -> str:
        return str(self.facts["security"]["prefix"])

    @property
    def auth_schemes(self) -> Mapping[str, tuple[str, str]]:
        """Every security scheme of the spec by name, as (header, prefix); the first is the
        default (`auth_header`, `auth_prefix`)."""
        schemes: Mapping[str, Mapping[str, str]] = self.facts.get("schemes") or {
            "default": self.facts["security"]
        }
        return {name: (how["header"], how["prefix"]) for name, how in schemes.items()}

    def operation_facts(self, operation_id: str) -> Mapping[str, Any]:
        """The spec's facts of one operation (parameters, body, responses)."""
        operations: Mapping[str, Mapping[str, Any]] = self.facts["operations"]
        if operation_id not in operations:
            allowed = f"an operation of {self.name}'s spec: {', '.join(sorted(operations))}"
            raise InvalidParameter("operation_id", operation_id, allowed)
        return operations[operation_id]

    def package_module(self) -> ModuleType:
        return importlib.import_module(self.package)

    def endpoint(self, operation_id: str) -> ModuleType:
        """The generated module of an operation (imported on first use)."""
        return importlib.import_module(self.operation_facts(operation_id)["module"])

    def query_names(self, operation_id: str) -> tuple[str, ...]:
        """The operation's query parameters, as its generated function names them (the spec's:
        a parameter the spec adds is taken with no edit of an adapter)."""
        parameters: Mapping[str, Mapping[str, Any]] = self.operation_facts(operation_id)[
            "parameters"
        ]
        return tuple(name for name, facts in parameters.items() if facts["in"] == "query")

    def jobs(self) -> Lifecycle:
        """The lifecycle of this provider's jobs; InvalidParameter if it has none."""
        if self.lifecycle is None:
            raise InvalidParameter(
                "provider",
                self.name,
                f"a provider with jobs ({self.name}'s extraction answers in one request: "
                "use docextract.extract)",
            )
        return self.lifecycle

    def planner(self, operation: str) -> Planner:
        """The planner of a submittable operation; InvalidParameter naming the choices."""
        try:
            return self.operations[operation]
        except KeyError:
            choices = ", ".join(self.operations) or "none (no jobs)"
            raise InvalidParameter(
                "operation", operation, f"an operation of {self.name}: {choices}"
            ) from None


# ---------------------------------------------------------------- helpers of planners


def take(params: dict[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    """Keyword arguments for a generated function: the given, non-None ones (popped)."""
    return {n: params.pop(n) for n in names if params.get(n) is not None}


def no_leftovers(operation: str, params: Mapping[str, Any]) -> None:
    """Refuse the parameters a planner did not use, naming them."""
    if params:
        raise InvalidParameter(", ".join(sorted(params)), None, f"not a parameter of {operation}")


def plain(value: Any) -> Any:
    """A generated model (or UNSET, or a list of models) as plain JSON values."""
    if is_unset(value):
        return None
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value
