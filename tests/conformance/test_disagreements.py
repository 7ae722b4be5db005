"""disagreements.yaml itself: every entry has a reason and names operations of our specs, and a
`no-call` entry names only operations its SDK really lacks (a stale entry fails)."""

import sdk_oracles as oracles
import yaml

from docextract.providers import PROVIDERS

numind = oracles.sdk("numind", "numind==0.4.2")
ENTRIES = yaml.safe_load((oracles.HERE / "disagreements.yaml").read_text(encoding="utf-8"))


def test_every_entry_is_well_formed() -> None:
    for entry in ENTRIES:
        assert entry["kind"] in {"no-call", "no-model", "sdk-only"}, entry
        assert entry["provider"] in PROVIDERS, entry
        assert entry["sdk"], entry
        assert entry["reason"].strip(), entry
        operations = entry.get("operations", [])
        if operations != "*":
            known = set(PROVIDERS[entry["provider"]].facts["operations"])
            assert set(operations) <= known, entry


def test_numind_no_call_entries_are_what_the_sdk_lacks() -> None:
    methods = {name for name in dir(numind.NuMind) if not name.startswith("_")}
    assert oracles.no_call("numind") == {"post_api_markdown_infer_async", "get_api_jobs_jobid"}
    assert not any("markdown" in name for name in methods)
    assert "get_api_jobs_jobid" not in methods
    assert "get_api_jobs_jobid_status" in methods  # the companion it does have
