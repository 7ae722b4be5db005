"""Run by test_retab_sdk.py under a Python 3.12 that has retab==0.0.118 (the last release with
`projects.extract`, which imports on 3.12 only): the SDK's own calls against the sandbox, and the
SDK's model on each fixture body. Reads its task as JSON on stdin, prints the findings as JSON.

Not collected by pytest (no test_ prefix); it must not import docextract (another interpreter).
"""

import asyncio
import json
import sys
import warnings
from typing import Any

from retab import AsyncRetab, Retab
from retab.types.documents.extract import RetabParsedChatCompletion

SDK = "retab 0.0.118"


def finding(call: str, exc: Exception) -> str:
    return f"{SDK} {call}: {type(exc).__name__}: {exc}"


def main() -> None:
    task: dict[str, Any] = json.load(sys.stdin)
    out: dict[str, Any] = {"problems": [], "results": {}}
    base_url, key, project = task["base_url"], task["api_key"], task["project"]
    text = task["document"].encode()
    warnings.simplefilter("ignore", DeprecationWarning)  # projects.extract is deprecated there
    with Retab(api_key=key, base_url=base_url, max_retries=0) as sdk:
        calls = {
            "projects.extract(document)": lambda: sdk.projects.extract(
                project_id=project, document=text, model="gpt-4o-mini", n_consensus=1
            ),
            "projects.extract(documents)": lambda: sdk.projects.extract(
                project_id=project, documents=[text[: len(text) // 2], text[len(text) // 2 :]]
            ),
        }
        for call, run in calls.items():
            try:
                completion = run()
                assert isinstance(completion, RetabParsedChatCompletion)
                out["results"][call] = completion.choices[0].message.parsed
            except Exception as exc:  # any failure of the oracle is a finding
                out["problems"].append(finding(call, exc))

    async def asynchronous() -> None:
        async with AsyncRetab(api_key=key, base_url=base_url, max_retries=0) as sdk:
            completion = await sdk.projects.extract(project_id=project, document=text)
            out["results"]["async projects.extract(document)"] = completion.choices[
                0
            ].message.parsed

    try:
        asyncio.run(asynchronous())
    except Exception as exc:
        out["problems"].append(finding("async projects.extract(document)", exc))

    for where, body in task["bodies"]:
        try:
            RetabParsedChatCompletion.model_validate(body)
        except Exception as exc:
            out["problems"].append(finding(f"RetabParsedChatCompletion on {where}", exc))
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
