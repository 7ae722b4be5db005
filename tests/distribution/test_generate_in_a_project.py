"""`docextract generate` in a project of its own, with only the built wheel installed
(`docextract[generate,contract]` in a fresh virtualenv, in a temporary folder outside the
repository): `init` writes the entries, a bundled spec and a toy spec of the user's own are
built under the user's package names, they import, `--check` passes, a changed spec is reported
(breaking first) and, breaking, regenerated only once accepted, `--check` failing until then,
and a test using the plugin replays a cassette recorded against the sandbox."""

import shutil
import tomllib
from pathlib import Path

import pytest
import yaml

from distribution.conftest import ROOT, UserEnv

TOY = Path(__file__).parent / "toy" / "openapi.yaml"
EXAMPLE = ROOT / "examples" / "userproject"


def docextract(env: UserEnv, project: Path, *args: str) -> tuple[int, str]:
    done = env.run(env.bin / "docextract", *args, cwd=project, timeout=600)
    return done.returncode, done.stdout + done.stderr


def test_generate_import_check_and_replay_from_the_wheel(user_env: UserEnv, tmp_path: Path) -> None:
    project = tmp_path / "acme"
    project.mkdir()
    (project / "pyproject.toml").write_text(
        '[project]\nname = "acme"\nversion = "0.1.0"\n', encoding="utf-8"
    )
    code, output = docextract(user_env, project, "init", "numind")
    assert code == 0, output
    assert (project / "specs" / "numind" / "openapi.yaml").is_file()  # copied from the wheel
    code, output = docextract(user_env, project, "init", "toy")
    assert code == 0, output
    (project / "specs" / "toy").mkdir(parents=True)
    shutil.copy(TOY, project / "specs" / "toy" / "openapi.yaml")
    table = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))
    assert table["tool"]["docextract"]["providers"]["numind"]["package"] == "numind_api"

    code, output = docextract(user_env, project, "generate")
    assert code == 0, output
    assert "numind: generated" in output
    assert "toy: generated" in output
    generated = project / "generated"
    assert (generated / "numind_api" / "spec_facts.py").is_file()
    assert (generated / "toy_api" / "api" / "receipts" / "get_receipt.py").is_file()

    imported = user_env.run(
        user_env.python, "-c",
        "import numind_api, toy_api\n"
        "from toy_api.api.receipts import get_receipt\n"
        "from toy_api.models import Receipt\n"
        "print(Receipt.from_dict({'id': 'r1', 'total': 2.5}).to_dict())\n"
        "import numind_client, docextract\n"  # the wheel's own clients, side by side
        "import numind_api.spec_facts\n"
        "print(numind_api.spec_facts.SPEC_FACTS['server_url'])\n",
        cwd=generated,
    )  # fmt: skip
    assert imported.returncode == 0, imported.stderr
    assert "{'id': 'r1', 'total': 2.5}" in imported.stdout
    assert "https://nuextract.ai" in imported.stdout

    code, output = docextract(user_env, project, "generate", "--check")
    assert code == 0, output
    assert "matches its spec" in output
    code, output = docextract(user_env, project, "generate")
    assert code == 0, output
    assert "toy: up to date" in output

    # the provider drops a field the client reads: reported before regenerating
    spec = project / "specs" / "toy" / "openapi.yaml"
    document = yaml.safe_load(spec.read_text(encoding="utf-8"))
    del document["components"]["schemas"]["Receipt"]["properties"]["currency"]
    spec.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    code, output = docextract(user_env, project, "generate", "--check")
    assert code == 1, output
    assert (
        "toy: specs/toy/openapi.yaml changed since toy_api was generated"
        in output.replace("openapi.yaml changed", "specs/toy/openapi.yaml changed")
        or "changed since toy_api was generated" in output
    )
    assert "currency" in output
    assert "out of step" in output
    # a breaking change stops the build, reported; accepted, it regenerates
    code, output = docextract(user_env, project, "generate")
    assert code == 1, output
    assert "BREAKING" in output
    assert output.index("currency") < output.index("toy: NOT regenerated")
    code, output = docextract(user_env, project, "generate", "--accept-breaking")
    assert code == 0, output
    assert "toy: generated" in output
    code, output = docextract(user_env, project, "generate", "--check")
    assert code == 0, output

    # the user's CI: a test using the plugin replays a cassette recorded against the sandbox
    shutil.copytree(EXAMPLE / "tests", project / "tests")
    shutil.copy(EXAMPLE / "invoice_pipeline.py", project / "invoice_pipeline.py")
    shutil.copy(EXAMPLE / "conftest.py", project / "conftest.py")
    replayed = user_env.run(user_env.python, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                            "tests", cwd=project)  # fmt: skip
    assert replayed.returncode == 0, replayed.stdout + replayed.stderr
    assert "1 passed" in replayed.stdout


UPSTREAM = ROOT.parent / "shared" / "upstream" / "llamacloud" / "openapi-2026-08-20.json"


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


@pytest.mark.skipif(not UPSTREAM.exists(), reason=f"{UPSTREAM} (shared evidence) is not here")
def test_generate_imports_an_upstream_document_from_the_wheel(
    user_env: UserEnv, tmp_path: Path
) -> None:
    """A project names LlamaCloud's whole published document and three operations: generate
    imports their subset (our names and prose), builds the package, it imports, `--check`
    passes, a second run changes no byte, and a stale import fails `--check`."""
    project = tmp_path / "acme"
    (project / "upstream").mkdir(parents=True)
    shutil.copy(UPSTREAM, project / "upstream" / "llamacloud.json")
    (project / "pyproject.toml").write_text(
        '[project]\nname = "acme"\nversion = "0.1.0"\n', encoding="utf-8"
    )
    code, output = docextract(
        user_env, project, "init", "llamacloud", "--upstream", "upstream/llamacloud.json"
    )
    assert code == 0, output
    config = project / "pyproject.toml"
    text = config.read_text(encoding="utf-8")
    assert '# upload_file = "POST /api/v1/beta/files"' in text  # the bundled selection, listed
    for operation in ("create_extract_job", "get_extract_job", "upload_file"):
        text = text.replace(f"# {operation} = ", f"{operation} = ")
    config.write_text(text.replace('"llamacloud_api"', '"llama_api"'), encoding="utf-8")
    entry = tomllib.loads(text)["tool"]["docextract"]["providers"]["llamacloud"]
    assert set(entry["operations"]) == {"create_extract_job", "get_extract_job", "upload_file"}

    code, output = docextract(user_env, project, "generate")
    assert code == 0, output
    assert (
        "llamacloud: specs/llamacloud/openapi.yaml imported from upstream/llamacloud.json: "
        "3 operations" in output
    )
    assert "llamacloud: generated generated/llama_api" in output
    spec = yaml.safe_load((project / "specs" / "llamacloud" / "openapi.yaml").read_text("utf-8"))
    assert sorted(op["operationId"] for item in spec["paths"].values() for op in item.values()) == [
        "create_extract_job",
        "get_extract_job",
        "upload_file",
    ]
    assert spec["info"]["x-source"][0]["reference"] == "llamacloud.json"

    imported = user_env.run(
        user_env.python, "-c",
        "from llama_api.api.extract import create_extract_job, get_extract_job\n"
        "from llama_api.api.files import upload_file\n"
        "from llama_api.models import FileUploadResponse\n"  # our class names, not the provider's
        "import llama_api.spec_facts, llamacloud_client\n"
        "print(llama_api.spec_facts.SPEC_FACTS['server_url'])\n",
        cwd=project / "generated",
    )  # fmt: skip
    assert imported.returncode == 0, imported.stderr
    assert "https://api.cloud.llamaindex.ai" in imported.stdout

    code, output = docextract(user_env, project, "generate", "--check")
    assert code == 0, output
    assert "llamacloud: generated/llama_api matches its spec" in output
    before = _tree(project)
    code, output = docextract(user_env, project, "generate")
    assert code == 0, output
    assert "llamacloud: up to date" in output
    assert _tree(project) == before  # a re-run changes no byte

    # a fourth operation in pyproject.toml: the imported spec is out of step until regenerated
    text = config.read_text(encoding="utf-8").replace(
        "# list_extract_jobs = ", "list_extract_jobs = "
    )
    config.write_text(text, encoding="utf-8")
    code, output = docextract(user_env, project, "generate", "--check")
    assert code == 1, output
    assert "specs/llamacloud/openapi.yaml is out of step with upstream/llamacloud.json" in output
    code, output = docextract(user_env, project, "generate")
    assert code == 0, output
    assert "4 operations" in output
    code, output = docextract(user_env, project, "generate", "--check")
    assert code == 0, output
