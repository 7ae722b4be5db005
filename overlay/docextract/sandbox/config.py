"""What a sandbox starts with: the accepted key, each provider's job schedule, faults, projects."""

import math
from collections.abc import Mapping
from typing import Any, Literal, get_args

import attrs

from docextract.errors import InvalidParameter
from docextract.providers import PROVIDERS, ProviderName
from docextract.sandbox.faults import Fault

Outcome = Literal["completed", "failed", "cancelled", "nonconforming"]
"""How a job ends. `nonconforming` (NuMind only): completed, but the raw model output did not
conform to the template (the result is served with HTTP 206)."""
OUTCOMES: tuple[str, ...] = get_args(Outcome)
JSONSchema = Mapping[str, Any]

INVOICE: JSONSchema = {
    "type": "object",
    "title": "Invoice",
    "properties": {
        "invoice_number": {"type": "string", "description": "The invoice's number."},
        "date": {"type": "string", "description": "Issue date, as written."},
        "vendor": {"type": "string", "description": "Who issued the invoice."},
        "total_amount": {"type": "number", "description": "Amount due."},
        "currency": {"type": "string", "description": "Currency of the amount."},
        "paid": {"type": "boolean", "description": "Whether the invoice is paid."},
    },
}
DEFAULT_PROJECTS: Mapping[str, JSONSchema] = {
    "numind-invoice": INVOICE,  # NuMind structured-extraction project
    "proj_invoice": INVOICE,  # Retab project
    "cfg-invoice": INVOICE,  # LlamaCloud saved configuration
}


def _seconds(_: object, attribute: "attrs.Attribute[float]", value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InvalidParameter(attribute.name, value, "a finite number of seconds")
    if value < 0:
        raise InvalidParameter(attribute.name, value, "a number of seconds >= 0")


def _rate(_: object, attribute: "attrs.Attribute[float | None]", value: object) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < math.inf:
        raise InvalidParameter(attribute.name, value, "a finite number > 0, or null for none")


def _outcome(_: object, __: object, value: str) -> None:
    if value not in OUTCOMES:
        raise InvalidParameter("outcome", value, "one of " + ", ".join(OUTCOMES))


@attrs.frozen
class Schedule:
    """How a provider's new jobs run: each non-terminal status lasts `step_seconds` (None: the
    sandbox-wide value), then the job ends with `outcome`.

    extra_step: pass through the provider's optional status (LlamaCloud THROTTLED, Contextual
        retrying). stream_error: NuMind's job stream answers an `error` event instead of the result.
    creations_per_second: LlamaCloud refuses job creation past this pace with 429 and
        `Retry-After` (a bucket of one second's creations; None: never).
    Retab answers synchronously: its extraction takes `step_seconds`; only `completed` applies.
    """

    outcome: Outcome = attrs.field(default="completed", validator=_outcome)
    step_seconds: float | None = attrs.field(
        default=None, validator=attrs.validators.optional(_seconds)
    )
    extra_step: bool = attrs.field(default=False, validator=attrs.validators.instance_of(bool))
    stream_error: bool = attrs.field(default=False, validator=attrs.validators.instance_of(bool))
    creations_per_second: float | None = attrs.field(default=None, validator=_rate)

    def check_for(self, provider: str) -> None:
        if self.creations_per_second is not None and provider != "llamacloud":
            raise InvalidParameter(
                "creations_per_second", self.creations_per_second, "LlamaCloud's"
            )
        if self.outcome == "nonconforming" and provider != "numind":
            raise InvalidParameter("outcome", self.outcome, "completed, failed or cancelled")
        if provider == "retab" and self.outcome != "completed":
            raise InvalidParameter("outcome", self.outcome, "completed (Retab has no jobs)")


@attrs.frozen
class SandboxConfig:
    """api_key: the one key accepted, for every provider and the control API.
    step_seconds: how long each non-terminal job status lasts, unless a schedule says otherwise.
    ping_interval: seconds between the `ping` events of NuMind's job stream.
    schedules: per provider, how new jobs run (default: completed after each step).
    faults: injected from the start (see docextract.sandbox.faults).
    projects: JSON Schemas by ID, added to DEFAULT_PROJECTS: NuMind and Retab project IDs,
        LlamaCloud configuration IDs, Contextual schema IDs (any other UUID is the invoice).
    """

    api_key: str = attrs.field(default="sandbox", repr=False)
    step_seconds: float = attrs.field(default=1.0, validator=_seconds)
    ping_interval: float = attrs.field(default=30.0, validator=_seconds)
    schedules: Mapping[ProviderName, Schedule] = attrs.field(factory=dict)
    faults: tuple[Fault, ...] = ()
    projects: Mapping[str, JSONSchema] = attrs.field(factory=dict)

    def __attrs_post_init__(self) -> None:
        if not self.api_key.strip():
            raise InvalidParameter("api_key", "", "a non-empty key")
        if self.ping_interval <= 0:
            raise InvalidParameter("ping_interval", self.ping_interval, "> 0")
        for provider, schedule in self.schedules.items():
            if provider not in PROVIDERS:
                raise InvalidParameter("schedules", provider, "one of " + ", ".join(PROVIDERS))
            schedule.check_for(provider)

    def schedule(self, provider: ProviderName) -> Schedule:
        """`provider`'s schedule at start, its step duration resolved."""
        return self.resolve(self.schedules.get(provider, Schedule()))

    def resolve(self, schedule: Schedule) -> Schedule:
        """`schedule` with the sandbox-wide step duration if it has none of its own."""
        if schedule.step_seconds is None:
            return attrs.evolve(schedule, step_seconds=self.step_seconds)
        return schedule

    def all_projects(self) -> dict[str, JSONSchema]:
        return {**DEFAULT_PROJECTS, **self.projects}
