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
    assert listed == {"numind": {"seconds": [0.1, 60.0], "taken": 3}}
    sandbox.reset()
    assert sandbox._call("GET", "/durations") == {}


@pytest.mark.parametrize("seconds", [[], [-1], [float("inf")], [True], "3", [1] * 100_001])
def test_a_bad_duration_schedule_is_refused(sandbox: Sandbox, seconds: object) -> None:
    response = httpx.post(
        f"{sandbox.url}/_sandbox/durations",
        headers={"Authorization": f"Bearer {sandbox.api_key}"},
        content=json.dumps({"provider": "numind", "seconds": seconds}, allow_nan=True),
    )
    assert response.status_code == 422
    assert "seconds" in response.text
