"""`Sandbox`: a running sandbox's URLs, and its control API (faults, schedules, counters)."""

from collections.abc import Mapping, Sequence
from types import TracebackType
from typing import Any

import attrs
import httpx

from docextract.providers import get_provider
from docextract.sandbox.config import Outcome, Schedule
from docextract.sandbox.faults import Fault

CONTROL_PREFIX = "/_sandbox"


@attrs.frozen
class SandboxStats:
    """requests: per route key (`numind GET /api/jobs/{jobId}`); jobs_created: per provider
    (Retab: extractions run, answers replayed for an Idempotency-Key not counted);
    peak_active_jobs: per provider, the most of its jobs running at once."""

    requests: Mapping[str, int]
    jobs_created: Mapping[str, int]
    peak_active_jobs: Mapping[str, int] = attrs.field(factory=dict)

    def requests_to(self, provider: str, route: str | None = None) -> int:
        """Requests to one route (`GET /api/jobs/{jobId}`) of `provider`, or to all of them."""
        if route is not None:
            return self.requests.get(f"{provider} {route}", 0)
        return sum(n for key, n in self.requests.items() if key.startswith(f"{provider} "))


class Sandbox:
    """A running sandbox. `url` is its root; `base_url(provider)` the base URL a provider's
    client takes; the other methods drive the control API."""

    def __init__(self, url: str, api_key: str) -> None:
        self.url = url
        self.api_key = api_key
        self._control = httpx.Client(
            base_url=url + CONTROL_PREFIX,
            headers={"Authorization": f"Bearer {api_key}"},
            timeout=10.0,
        )

    def __repr__(self) -> str:
        return f"Sandbox(url={self.url!r})"

    def base_url(self, provider: str) -> str:
        return f"{self.url}/{get_provider(provider).name}"

    def stats(self) -> SandboxStats:
        data = self._call("GET", "/stats")
        return SandboxStats(data["requests"], data["jobs_created"], data["peak_active_jobs"])

    def set_fault(self, fault: Fault | str) -> Fault:
        """Inject a fault (a Fault, or a string as the CLI takes); answers the fault in force."""
        fault = Fault.parse(fault) if isinstance(fault, str) else fault
        return Fault.from_json(self._call("POST", "/faults", fault.to_json())["fault"])

    def faults(self) -> list[Fault]:
        return [Fault.from_json(data) for data in self._call("GET", "/faults")["faults"]]

    def clear_faults(self) -> None:
        self._call("DELETE", "/faults")

    def configure(
        self,
        provider: str,
        *,
        outcome: Outcome | None = None,
        step_seconds: float | None = None,
        extra_step: bool | None = None,
        stream_error: bool | None = None,
        creations_per_second: float | None = None,
    ) -> Schedule:
        """Change how `provider`'s next jobs run (arguments left as None stay as they are)."""
        changes = {
            "outcome": outcome,
            "step_seconds": step_seconds,
            "extra_step": extra_step,
            "stream_error": stream_error,
            "creations_per_second": creations_per_second,
        }
        body = {"provider": provider} | {k: v for k, v in changes.items() if v is not None}
        return Schedule(**self._call("POST", "/schedules", body)[provider])

    def set_durations(self, provider: str, seconds: Sequence[float], *, hold: bool = False) -> None:
        """Each new job of `provider` lasts the next of `seconds` in total (cycled); `hold`:
        counted from `release(provider)`, the job waiting in its first status until then."""
        body = {"provider": provider, "seconds": list(seconds), "hold": hold}
        self._call("POST", "/durations", body)

    def release(self, provider: str) -> int:
        """Start `provider`'s held jobs now; how many there were."""
        return int(self._call("POST", "/release", {"provider": provider})["released"])

    def clear_durations(self) -> None:
        self._call("DELETE", "/durations")

    def reset(self) -> None:
        """Forget jobs, files and counters; back to the faults and schedules of the start."""
        self._call("POST", "/reset")

    def close(self) -> None:
        self._control.close()

    def __enter__(self) -> "Sandbox":
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _call(self, method: str, path: str, body: Mapping[str, Any] | None = None) -> Any:
        response = self._control.request(method, path, json=body)
        response.raise_for_status()
        return response.json() if response.content else None
