"""The sandbox's job-duration schedule (/_sandbox/durations): each new job's total, in turn."""

import json
import time

import httpx
import pytest

import docextract
from docextract.sandbox import Sandbox


def test_a_duration_schedule_sets_each_new_jobs_total_in_turn(sandbox: Sandbox) -> None:
    sandbox.set_durations("numind", [0.1, 60.0])
    c = docextract.client("numind", api_key=sandbox.api_key, base_url=sandbox.base_url("numind"))
    try:
        jobs = [
            docextract.submit(
                "numind", "structured", client=c, document=b"x", project_id="numind-invoice"
            )
            for _ in range(3)
        ]
        time.sleep(0.5)
        statuses = [docextract.status(job, client=c).status for job in jobs]
    finally:
        c.get_httpx_client().close()
    assert statuses[0] == "completed"  # 0.1 s in total
    assert statuses[1] != "completed"  # 60 s
    assert statuses[2] == "completed"  # cycled: 0.1 s again
    listed = sandbox._call("GET", "/durations")
    assert listed == {"numind": {"seconds": [0.1, 60.0], "taken": 3, "hold": False}}
    sandbox.reset()
    assert sandbox._call("GET", "/durations") == {}


def test_held_jobs_start_together_at_the_release(sandbox: Sandbox) -> None:
    sandbox.set_durations("numind", [0.3], hold=True)
    c = docextract.client("numind", api_key=sandbox.api_key, base_url=sandbox.base_url("numind"))
    try:
        jobs = [
            docextract.submit(
                "numind", "structured", client=c, document=b"x", project_id="numind-invoice"
            )
            for _ in range(2)
        ]
        time.sleep(0.6)  # twice their total: held, they have not begun
        held = [docextract.status(job, client=c).status for job in jobs]
        assert sandbox.release("numind") == 2
        released = time.time()
        assert sandbox.release("numind") == 0  # each job is released once
        results = [docextract.wait(job, client=c, timeout="10s") for job in jobs]
        learned = time.time()
        later = docextract.submit(
            "numind", "structured", client=c, document=b"x", project_id="numind-invoice"
        )
        time.sleep(0.6)
        still_held = docextract.status(later, client=c).status
    finally:
        c.get_httpx_client().close()
    assert held == ["queued", "queued"]
    assert all(result is not None for result in results)
    assert learned - released >= 0.3  # the total counts from the release
    assert still_held == "queued"  # created after the release: held for the next one


def test_a_release_names_a_known_provider(sandbox: Sandbox) -> None:
    response = httpx.post(
        f"{sandbox.url}/_sandbox/release",
        headers={"Authorization": f"Bearer {sandbox.api_key}"},
        json={"provider": "nobody"},
    )
    assert response.status_code == 422
    assert "provider" in response.text


@pytest.mark.parametrize("seconds", [[], [-1], [float("inf")], [True], "3", [1] * 100_001])
def test_a_bad_duration_schedule_is_refused(sandbox: Sandbox, seconds: object) -> None:
    response = httpx.post(
        f"{sandbox.url}/_sandbox/durations",
        headers={"Authorization": f"Bearer {sandbox.api_key}"},
        content=json.dumps({"provider": "numind", "seconds": seconds}, allow_nan=True),
    )
    assert response.status_code == 422
    assert "seconds" in response.text
