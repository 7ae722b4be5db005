"""One test's cassette, replayed through the overlay or recorded (docextract.contract.plugin)."""

from pathlib import Path
from typing import Any

from docextract.clients import client
from docextract.contract.cassettes import Interaction, interactions_in
from docextract.contract.checks import check_model, check_schema, heading
from docextract.contract.playback import ReplayTransport
from docextract.contract.recording import RecordingTransport
from docextract.contract.specs import ProviderSpec
from docextract.waiting import PollPolicy

REPLAY_KEY = "docextract-replay-key"


def contract_problems(interactions: list[Interaction], spec: ProviderSpec) -> list[str]:
    """Every problem of checks 1 (spec schema) and 2 (model round trip), each with its place."""
    problems: list[str] = []
    for interaction in interactions:
        schema = check_schema(interaction, spec).problems
        model = check_model(interaction, spec)
        for check, found in (("spec schema", schema), ("model round trip", model)):
            if found:
                problems.append("\n  ".join([heading(interaction, check), *found]))
    return problems


class Cassette:
    """The cassette of one test: `client()` replays it (default) or records it."""

    def __init__(
        self,
        path: Path,
        provider: str,
        *,
        recording: bool,
        base_url: str | None,
        spec_file: Path | None = None,
        package: str | None = None,
    ) -> None:
        self.path, self.provider, self.recording = path, provider, recording
        self.spec_file, self.package = spec_file, package
        self.interactions: list[Interaction] = [] if recording else interactions_in(path)
        recorded_url = self.interactions[0].metadata.get("base_url") if self.interactions else None
        self.base_url: str | None = base_url or (str(recorded_url) if recorded_url else None)
        self.replay = ReplayTransport(self.interactions)
        self.recorder = RecordingTransport()

    @property
    def transport(self) -> ReplayTransport | RecordingTransport:
        """The httpx transport (sync and async) for a client built by hand."""
        return self.recorder if self.recording else self.replay

    @property
    def poll(self) -> PollPolicy | None:
        """For `wait(poll=...)`: no real waiting between replayed polls."""
        return None if self.recording else PollPolicy(initial="1ms", maximum="1ms", jitter=0.0)

    def client(self, **options: Any) -> Any:
        """`docextract.client(provider)` on this cassette (options as for docextract.client)."""
        options.setdefault("base_url", self.base_url)
        if not self.recording:
            options.setdefault("api_key", REPLAY_KEY)
            options.setdefault("allow_insecure_http", True)
        built = client(
            self.provider, transport=self.transport, async_transport=self.transport, **options
        )
        self.base_url = str(built.get_httpx_client().base_url).rstrip("/")
        return built

    def spec(self) -> ProviderSpec:
        return ProviderSpec(self.provider, spec_file=self.spec_file, package=self.package)

    def problems(self) -> list[str]:
        """What replaying found wrong: unanswered requests, answers that break the contract."""
        found = [f"no recorded answer for {request}" for request in self.replay.unmatched]
        return found + contract_problems(self.interactions, self.spec())
