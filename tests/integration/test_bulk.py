"""submit_all / extract_all on the sandbox: per-provider limits, 429s slow the provider and are
sent again (they created nothing), any other failed creation is never resent."""

import uuid

import pytest
from conftest import INVOICE_TEXT, ClientFactory

import docextract
from docextract.errors import InvalidParameter, JobFailed, ServerError
from docextract.jobs import Job
from docextract.limits import Limit
from docextract.sandbox import INVOICE, Sandbox

DOCUMENT = INVOICE_TEXT.encode()
CREATE = "POST /api/v2/extract"


async def test_extract_all_keeps_the_order_and_types_each_result(
    sandbox: Sandbox, make_async_client: ClientFactory
) -> None:
    c = make_async_client("llamacloud")
    documents = [INVOICE_TEXT.replace("INV-2026-0042", f"INV-{i:04}").encode() for i in range(20)]
    results = await docextract.extract_all_async(
        documents, provider="llamacloud", client=c, schema=dict(INVOICE)
    )
    assert [r.data["invoice_number"] for r in results] == [f"INV-{i:04}" for i in range(20)]
    assert all(r.job_id and r.status == "COMPLETED" for r in results)
    assert sandbox.stats().jobs_created["llamacloud"] == 20


async def test_a_429_slows_the_provider_and_creates_nothing_twice(
    sandbox: Sandbox, make_async_client: ClientFactory
) -> None:
    c = make_async_client("llamacloud", checked=False)  # the spec has no 429 for creation
    sandbox.set_fault(f"llamacloud:{CREATE}=rate_limit:1x3")
    jobs = await docextract.submit_all_async(
        [DOCUMENT] * 10, provider="llamacloud", client=c, data_schema=dict(INVOICE)
    )
    assert all(isinstance(job, Job) for job in jobs), jobs
    assert len({job.id for job in jobs}) == 10
    stats = sandbox.stats()
    assert stats.jobs_created["llamacloud"] == 10  # each document's job once
    assert stats.requests_to("llamacloud", CREATE) == 13  # the three refused ones again
    # each file was uploaded once, although its creating request was refused
    assert stats.requests_to("llamacloud", "POST /api/v1/beta/files") == 10


async def test_a_provider_that_throttles_creation_slows_the_pace_and_loses_nothing(
    sandbox: Sandbox, make_async_client: ClientFactory
) -> None:
    """The sandbox refuses LlamaCloud creations past 4 per second (429 + Retry-After); with no
    pace of ours (`Limit()`), all ten go out at once: the refused ones start a pace, slowed by
    each 429, and are sent again; each job is created once."""
    c = make_async_client("llamacloud", checked=False)
    sandbox.configure("llamacloud", creations_per_second=4)
    jobs = await docextract.submit_all_async(
        [DOCUMENT] * 10, provider="llamacloud", client=c, data_schema=dict(INVOICE), limit=Limit()
    )
    assert all(isinstance(job, Job) for job in jobs), jobs
    assert len({job.id for job in jobs}) == 10
    stats = sandbox.stats()
    assert stats.jobs_created["llamacloud"] == 10
    refused = stats.requests_to("llamacloud", CREATE) - 10
    assert refused >= 1  # ten at once: more than the bucket's four
    assert refused < 20  # paced after the first 429s, not sent again at once


async def test_a_failed_creation_is_not_resent(
    sandbox: Sandbox, make_async_client: ClientFactory
) -> None:
    c = make_async_client("llamacloud", checked=False)
    sandbox.set_fault(f"llamacloud:{CREATE}=status:503x1")
    jobs = await docextract.submit_all_async(
        [DOCUMENT] * 5, provider="llamacloud", client=c, data_schema=dict(INVOICE)
    )
    errors = [job for job in jobs if not isinstance(job, Job)]
    assert len(errors) == 1
    assert isinstance(errors[0], ServerError)
    stats = sandbox.stats()
    assert stats.requests_to("llamacloud", CREATE) == 5  # the failed one was not sent again
    assert stats.jobs_created["llamacloud"] == 4


async def test_contextual_never_has_more_than_five_active_jobs(
    sandbox: Sandbox, make_async_client: ClientFactory
) -> None:
    c = make_async_client("contextual")
    sandbox.configure("contextual", step_seconds=0.05)
    documents = [str(uuid.uuid4()) for _ in range(12)]
    results = await docextract.extract_all_async(
        documents, provider="contextual", client=c, schema_id=str(uuid.uuid4())
    )
    assert all(r.data["invoice_number"] for r in results), results
    # the sandbox answers 429 past five active jobs: none was refused
    assert sandbox.stats().requests_to("contextual", "POST /extract/jobs") == 12


async def test_retab_runs_under_its_concurrency_cap(
    sandbox: Sandbox, make_async_client: ClientFactory
) -> None:
    c = make_async_client("retab")
    results = await docextract.extract_all_async(
        [DOCUMENT] * 6,
        provider="retab",
        client=c,
        project_id="proj_invoice",
        limit=Limit(concurrency=2),
    )
    assert all(r.data["invoice_number"] == "INV-2026-0042" for r in results)


def test_sync_extract_all_reports_each_failure_with_its_job(
    sandbox: Sandbox, make_client: ClientFactory
) -> None:
    c = make_client("numind")
    sandbox.configure("numind", outcome="failed")
    results = docextract.extract_all(
        [DOCUMENT] * 3, provider="numind", client=c, project_id="numind-invoice", mode="poll"
    )
    assert all(isinstance(r, JobFailed) and r.job_id for r in results)
    assert len({r.job_id for r in results}) == 3


async def test_bad_input_is_refused_before_any_request(
    sandbox: Sandbox, make_async_client: ClientFactory
) -> None:
    c = make_async_client("numind")
    with pytest.raises(InvalidParameter, match="project_id"):
        await docextract.extract_all_async([DOCUMENT], provider="numind", client=c)
    with pytest.raises(InvalidParameter, match="provider"):
        await docextract.submit_all_async([DOCUMENT], provider="retab", client=c)
    assert sandbox.stats().requests_to("numind") == 0


@pytest.mark.parametrize("provider", ["llamacloud", "contextual"])
async def test_a_create_answer_cut_after_the_id_is_waited_for_not_created_again(
    sandbox: Sandbox, make_async_client: ClientFactory, provider: str
) -> None:
    create = {"llamacloud": CREATE, "contextual": "POST /extract/jobs"}[provider]
    documents: list[object] = [DOCUMENT] * 3
    params: dict[str, object] = {"schema": dict(INVOICE)}
    if provider == "contextual":
        documents, params = [str(uuid.uuid4()) for _ in range(3)], {"schema_id": str(uuid.uuid4())}
    sandbox.set_fault(f"{provider}:{create}=truncated x1")  # 200 with half the body
    results = await docextract.extract_all_async(
        documents, provider=provider, client=make_async_client(provider, checked=False), **params
    )
    assert sandbox.faults() == [], "the fault was never met"
    assert all(r.data["invoice_number"] for r in results), results
    assert len({r.job_id for r in results}) == 3
    stats = sandbox.stats()
    assert stats.jobs_created[provider] == 3
    assert stats.requests_to(provider, create) == 3
