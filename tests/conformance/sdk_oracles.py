"""Shared by the conformance tests: the SDKs (imported or skipped with the reason), the list of
deliberate disagreements, the reference fixtures' bodies, and a wrapper naming the failing call."""

import importlib
import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any, TypeVar

import attrs
import pytest
import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
# `nox -s conformance` sets it: a missing SDK is then a failure, not a skip.
REQUIRED = os.environ.get("DOCEXTRACT_CONFORMANCE") == "1"
T = TypeVar("T")


def sdk(module: str, pin: str) -> ModuleType:
    """The SDK's top module; at module level, skips (or, under nox, fails) when it is absent."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        reason = f"{pin} is not installed here ({exc}): run `nox -s conformance`"
        if REQUIRED:
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason, allow_module_level=True)


def disagreements(provider: str, kind: str) -> list[dict[str, Any]]:
    entries = yaml.safe_load((HERE / "disagreements.yaml").read_text(encoding="utf-8"))
    for entry in entries:
        assert entry.get("reason"), f"disagreements.yaml: an entry without a reason: {entry}"
    return [e for e in entries if e["provider"] == provider and e["kind"] == kind]


def no_call(provider: str) -> set[str]:
    return {op for entry in disagreements(provider, "no-call") for op in entry["operations"]}


def unmodelled(provider: str, operation: str, status: str) -> bool:
    """Whether disagreements.yaml says the SDK has no model for this answer."""
    for entry in disagreements(provider, "no-model"):
        operations, statuses = entry["operations"], entry["statuses"]
        if (operations == "*" or operation in operations) and (
            statuses == "*" or status in statuses
        ):
            return True
    return False


@attrs.frozen
class Answer:
    """One reference fixture's answer: where it comes from, and its JSON body."""

    provider: str
    operation: str
    case: str
    status: str
    body: Any  # the parsed JSON; None for a bodiless answer or one that is not JSON
    text: str = ""  # the body as sent

    @property
    def bodiless(self) -> bool:
        return self.text == ""

    @property
    def where(self) -> str:
        return f"{self.provider}/{self.operation} {self.case!r}"


def answers(provider: str) -> Iterator[Answer]:
    """Every JSON answer of the provider's reference cassettes."""
    for path in sorted((FIXTURES / provider / "reference").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for interaction in data["interactions"]:
            response = interaction["response"]
            content_type = " ".join(response["headers"].get("Content-Type", [""]))
            body = (response.get("body") or {}).get("string")
            note = interaction["note"]
            status = str(response["status"]["code"])
            text = body.decode() if isinstance(body, bytes) else (body or "")
            if not content_type.startswith("application/json") or not text:
                yield Answer(provider, note["operation"], note["case"], status, None, text)
                continue
            yield Answer(provider, note["operation"], note["case"], status, json.loads(text), text)


def checked(sdk_name: str, call: str, run: Callable[[], T]) -> T:
    """Run an SDK call; a failure names the SDK and the call (the SDK's message names the field)."""
    try:
        return run()
    except Exception as exc:  # any failure of the oracle is a finding
        raise AssertionError(f"{sdk_name} {call}: {type(exc).__name__}: {exc}") from exc


async def checked_async(sdk_name: str, call: str, run: Callable[[], Any]) -> Any:
    try:
        return await run()
    except Exception as exc:
        raise AssertionError(f"{sdk_name} {call}: {type(exc).__name__}: {exc}") from exc


def reached(stats_requests: dict[str, int], provider: str, facts: dict[str, Any]) -> set[str]:
    """The operations of `provider` the sandbox answered at least once."""
    routes = {f"{provider} {op['method']} {op['path']}": name for name, op in facts.items()}
    return {routes[key] for key, count in stats_requests.items() if key in routes and count}
