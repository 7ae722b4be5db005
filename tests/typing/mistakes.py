# pyright: strict
"""Deliberate mistakes: `mypy --strict` and `pyright --strict` must report each line whose
comment says it is a mistake (tests/typing/check_mistakes.py checks both do, nothing else)."""

import docextract
from numind_client.models import MarkdownResponse

PDF = "a.pdf"


def mistakes() -> None:
    docextract.client("numlnd")  # mistake: a provider that does not exist
    docextract.client("numind", timeuot="30s")  # mistake: a misspelt option
    docextract.client("numind", max_retries="3")  # mistake: the wrong type
    api = docextract.client("numind")
    docextract.submit("numind", "structured", client=api, document=PDF)  # mistake: no project_id
    docextract.submit("numind", "markdown", client=api, document=PDF, temprature=0.2)  # mistake
    docextract.submit("numind", "markdown", client=api, document=PDF, temperature="hot")  # mistake
    docextract.submit("numind", "summary", client=api, document=PDF)  # mistake: no such operation
    llama = docextract.client("llamacloud")
    docextract.submit("numind", "markdown", client=llama, document=PDF)  # mistake: wrong client
    job = docextract.submit("numind", "structured", client=api, document=PDF, project_id="p")
    docextract.wait(job, client=api, mode="fast")  # mistake: not a mode
    docextract.wait(job, client=api, timout="1m")  # mistake: a misspelt wait option
    markdown: MarkdownResponse = docextract.wait(job, client=api)  # mistake: the wrong result
    print(markdown)
    docextract.extract(PDF, provider="nuimnd")  # mistake: a provider that does not exist
