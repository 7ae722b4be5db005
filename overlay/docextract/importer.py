"""The upstream stage: a provider's published OpenAPI document, reduced to what operations reach.

`import_spec(upstream, build, current)` gives the vendored spec for `build`'s operations (our
operation ID -> the provider's "METHOD /path") from the published document. What is kept,
exactly as published: every parameter, request body, response status and content type, security
requirement, and every schema (with its enums, constraints, required lists, defaults and
examples) that those operations reach through `$ref`. What is ours: operation IDs, tags and the
renamed schemas (`build["upstream"]["tags"]`, `["schemas"]`: so generated module and class names
do not move when the provider renames things), and the prose: the provider's `title`, `summary`
and `description` texts are dropped and replaced by our one-line descriptions, taken from the
spec being replaced (`current`) wherever it describes the same operation, schema or field. Our
examples are carried over the same way, and so are our shared `components/responses` where the
provider inlines an identical response.

Left out on purpose: cookie parameters (a FastAPI provider's browser-session cookie, which an API
client never sends: it authenticates with its key; the generated functions would otherwise set
per-request cookies, which httpx deprecates).

One normalisation, for the generator: a multipart file field given in the OpenAPI 3.1 manner
(`contentMediaType` without `format`) gets `format: binary`, which is what openapi-python-client
needs to type it as a file instead of a string.

Deterministic: the same upstream and the same build settings give the same bytes. Used by
scripts/import_spec.py (this repository's specs) and `docextract generate` (a project's entry
with `upstream` and `operations`).
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from docextract.generator import BuildError

METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
PROSE = ("title", "summary", "description")
COMPONENT_KINDS = (
    "schemas",
    "parameters",
    "responses",
    "requestBodies",
    "headers",
    "securitySchemes",
)


class SpecImportError(BuildError):
    """The upstream document or the build settings cannot give the spec; the message says why."""


# ---------------------------------------------------------------- helpers


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            yield ref
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def _component(document: dict[str, Any], ref: str) -> tuple[str, str]:
    parts = ref.split("/")
    if len(parts) != 4 or parts[:2] != ["#", "components"] or parts[2] not in COMPONENT_KINDS:
        raise SpecImportError(f"unsupported $ref {ref!r} (only #/components/<kind>/<name>)")
    if parts[3] not in document.get("components", {}).get(parts[2], {}):
        raise SpecImportError(f"$ref {ref!r} names nothing in the upstream document")
    return parts[2], parts[3]


def _resolve(document: dict[str, Any], node: Any) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        kind, name = _component(document, node["$ref"])
        node = document["components"][kind][name]
    return node


def _rename_refs(node: Any, renames: dict[str, str]) -> Any:
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value in renames:
                out[key] = renames[value]
            else:
                out[key] = _rename_refs(value, renames)
        return out
    if isinstance(node, list):
        return [_rename_refs(value, renames) for value in node]
    return node


def strip_prose(node: Any, *, in_properties: bool = False) -> Any:
    """The node without prose (`title`, `summary`, `description`) and without examples; property
    *names* that happen to be `title` or `description` are kept."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if not in_properties and (key in PROSE or key in ("examples", "example")):
                continue
            out[key] = strip_prose(value, in_properties=key == "properties" and not in_properties)
        return out
    if isinstance(node, list):
        return [strip_prose(value) for value in node]
    return node


def _normalise_binary(node: Any) -> Any:
    """`contentMediaType` strings without `format` get `format: binary` (for the generator)."""
    if isinstance(node, dict):
        out = {key: _normalise_binary(value) for key, value in node.items()}
        if out.get("type") == "string" and "contentMediaType" in out and "format" not in out:
            out["format"] = "binary"
        return out
    if isinstance(node, list):
        return [_normalise_binary(value) for value in node]
    return node


def _sentence(name: str) -> str:
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name).replace("_", " ").strip().lower()
    return (words[:1].upper() + words[1:] + ".") if words else "."


# ---------------------------------------------------------------- our own content


class Ours:
    """What the spec being replaced says in its own words: descriptions, examples, shared
    responses, info, tags; looked up by our operation IDs and schema names."""

    def __init__(self, document: dict[str, Any] | None) -> None:
        self.doc = document or {}
        self.operations: dict[str, dict[str, Any]] = {}
        for item in self.doc.get("paths", {}).values():
            for method in METHODS:
                op = item.get(method)
                if isinstance(op, dict) and "operationId" in op:
                    self.operations[op["operationId"]] = op
        components = self.doc.get("components", {})
        self.schemas: dict[str, Any] = components.get("schemas", {})
        self.responses: dict[str, Any] = components.get("responses", {})
        self.schemes: dict[str, Any] = components.get("securitySchemes", {})

    def resolve(self, node: Any) -> Any:
        while isinstance(node, dict) and "$ref" in node:
            _, kind, name = node["$ref"].split("/")[1:4]
            node = self.doc.get("components", {}).get(kind, {}).get(name, {})
        return node

    def parameter(self, operation: str, name: str, where: str) -> dict[str, Any]:
        """Our parameter of that name: on this operation, else on any other one."""
        others = [op for op_id, op in sorted(self.operations.items()) if op_id != operation]
        for op in [self.operations.get(operation, {}), *others]:
            for raw in op.get("parameters", ()):
                param = self.resolve(raw)
                if param.get("name") == name and param.get("in") == where:
                    found: dict[str, Any] = param
                    return found
        return {}

    def response(self, operation: str, status: str) -> tuple[dict[str, Any], str | None]:
        raw = self.operations.get(operation, {}).get("responses", {}).get(status)
        ref = raw.get("$ref") if isinstance(raw, dict) else None
        return self.resolve(raw) or {}, ref


def _describe_schema(schema: Any, ours: Any, *, fallback: str) -> Any:
    """Put our descriptions on a (prose-free) schema: its own and its properties'."""
    if not isinstance(schema, dict):
        return schema
    out = dict(schema)
    own = ours.get("description") if isinstance(ours, dict) else None
    out_description = own if isinstance(own, str) else fallback
    props = out.get("properties")
    if isinstance(props, dict):
        our_props = ours.get("properties", {}) if isinstance(ours, dict) else {}
        described = {}
        for prop, value in props.items():
            our_value = our_props.get(prop, {})
            text = our_value.get("description") if isinstance(our_value, dict) else None
            if not isinstance(text, str):
                text = _field_sentence(prop, value)
            described[prop] = {**value, "description": text} if isinstance(value, dict) else value
        out["properties"] = described
    return {"description": out_description, **out}


def _field_sentence(name: str, value: Any) -> str:
    text = _sentence(name)
    if isinstance(value, dict) and value.get("deprecated"):
        text = "Deprecated. " + text
    return text


# ---------------------------------------------------------------- the import


def load_document(path: Path) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8")
    loaded = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    if not isinstance(loaded, dict) or "paths" not in loaded:
        raise SpecImportError(f"{path}: not an OpenAPI document (no `paths`)")
    return loaded


def _routes(document: dict[str, Any]) -> dict[str, tuple[str, str]]:
    return {
        f"{method.upper()} {path}": (path, method)
        for path, item in document["paths"].items()
        for method in METHODS
        if isinstance(item.get(method), dict)
    }


def import_spec(
    upstream: dict[str, Any],
    build: dict[str, Any],
    current: dict[str, Any] | None,
    *,
    source: str,
    digest: str,
    by: str = "scripts/import_spec.py",
    settings_name: str = "build.yaml",
    renames_must_reach: bool = True,
) -> dict[str, Any]:
    """The vendored spec for `build`'s operations, from the upstream document; `by` and
    `settings_name` say, in its provenance, what imported it from which settings. Renaming a
    schema the operations do not reach is an error unless not `renames_must_reach` (names
    borrowed from a larger selection), when such renames are left out."""
    settings = build.get("upstream") or {}
    operations: dict[str, str] = build.get("operations") or {}
    if not operations:
        raise SpecImportError(f"{settings_name} names no `operations` to import")
    tag_map: dict[str, str] = settings.get("tags") or {}
    schema_map: dict[str, str] = settings.get("schemas") or {}
    ours = Ours(current)
    routes = _routes(upstream)

    missing = [f"{op_id}: {route}" for op_id, route in operations.items() if route not in routes]
    if missing:
        raise SpecImportError(
            "the upstream document has no route for: " + "; ".join(missing)
            + f" (it has {len(routes)} routes)"
        )  # fmt: skip

    # Every component the covered operations reach, transitively.
    wanted: dict[tuple[str, str], None] = {}
    pending = [
        upstream["paths"][path][method] for path, method in (routes[r] for r in operations.values())
    ]
    pending += [upstream["paths"][routes[r][0]].get("parameters", []) for r in operations.values()]
    while pending:
        for ref in _refs(pending.pop()):
            key = _component(upstream, ref)
            if key not in wanted:
                wanted[key] = None
                pending.append(upstream["components"][key[0]][key[1]])
    for op_route in operations.values():
        path, method = routes[op_route]
        for requirement in upstream["paths"][path][method].get(
            "security", upstream.get("security", [])
        ):
            for scheme in requirement:
                wanted[("securitySchemes", scheme)] = None

    reached = {name for kind, name in wanted if kind == "schemas"}
    unknown = sorted(set(schema_map) - reached)
    if unknown and not renames_must_reach:
        schema_map = {old: new for old, new in schema_map.items() if old in reached}
    elif unknown:
        raise SpecImportError(
            f"upstream.schemas renames schemas the operations do not reach: {unknown}"
        )
    renames = {
        f"#/components/schemas/{old}": f"#/components/schemas/{new}"
        for old, new in schema_map.items()
    }

    # Paths, in the order build.yaml lists the operations.
    paths: dict[str, dict[str, Any]] = {}
    used_tags: list[str] = []
    for op_id, op_route in operations.items():
        path, method = routes[op_route]
        published = upstream["paths"][path][method]
        provider_tags = published.get("tags") or []
        tag = next((tag_map[t] for t in provider_tags if t in tag_map), None)
        if tag is None:
            raise SpecImportError(
                f"{op_id}: none of its tags {provider_tags} is mapped in upstream.tags"
            )
        if tag not in used_tags:
            used_tags.append(tag)
        mine = ours.operations.get(op_id, {})
        op = _normalise_binary(_rename_refs(strip_prose(copy.deepcopy(published)), renames))
        built: dict[str, Any] = {
            "operationId": op_id,
            "tags": [tag],
            "summary": mine.get("summary") or _sentence(op_id).rstrip("."),
        }
        if mine.get("description"):
            built["description"] = mine["description"]
        for key, value in op.items():
            if key in ("operationId", "tags"):
                continue
            if key == "parameters":
                value = [
                    _describe_parameter(ours, op_id, p) for p in value if p.get("in") != "cookie"
                ]
            elif key == "requestBody":
                value = _describe_body(value, mine.get("requestBody"), ours)
            elif key == "responses":
                value = _describe_responses(value, op_id, ours)
            built[key] = value
        paths.setdefault(path, {})[method] = built

    components: dict[str, Any] = {}
    for kind in COMPONENT_KINDS:
        names = sorted(name for k, name in wanted if k == kind)
        if not names:
            continue
        section: dict[str, Any] = {}
        for name in sorted(names, key=lambda n: schema_map.get(n, n) if kind == "schemas" else n):
            node = strip_prose(copy.deepcopy(upstream["components"][kind][name]))
            node = _normalise_binary(_rename_refs(node, renames))
            ours_name = schema_map.get(name, name) if kind == "schemas" else name
            if kind == "schemas":
                node = _describe_schema(
                    node, ours.schemas.get(ours_name), fallback=_sentence(ours_name)
                )
            elif kind == "securitySchemes":
                described = ours.schemes.get(name, {}).get("description")
                node = {**node, "description": described or _sentence(name)}
            else:
                node = {"description": _sentence(name), **node}
            section[ours_name] = node
        components[kind] = section
    for name, response in sorted(ours.responses.items()):
        if any(_shares_response(paths, name)):
            components.setdefault("responses", {})[name] = response
    if "responses" in components:  # before schemas, as in a hand-written spec
        components = {"responses": components.pop("responses"), **components}

    info = dict(ours.doc.get("info") or {"title": upstream.get("info", {}).get("title", "API")})
    info["version"] = str(settings.get("published") or upstream.get("info", {}).get("version"))
    sources = [s for s in info.get("x-source", []) if s.get("upstream") != "published spec"]
    count = f"{len(operations)} operation{'' if len(operations) == 1 else 's'}"
    provenance = {
        "upstream": "published spec",
        "reference": Path(source).name,
        "sha256": digest,
        "describes": f"The {count} of {settings_name}, by {by}.",
    }
    if settings.get("published"):  # the date the provider published it, when known
        provenance["retrieved"] = str(settings["published"])
    sources.insert(0, provenance)
    info["x-source"] = sources
    our_tags = {t.get("name"): t for t in ours.doc.get("tags", [])}
    document: dict[str, Any] = {
        "openapi": upstream.get("openapi", "3.1.0"),
        "info": info,
        "servers": [{"url": s["url"]} for s in upstream.get("servers", [])]
        or ours.doc.get("servers", []),
    }
    if "security" in upstream:
        document["security"] = upstream["security"]
    document["tags"] = [
        {"name": t, "description": our_tags.get(t, {}).get("description") or _sentence(t)}
        for t in used_tags
    ]
    document["paths"] = paths
    document["components"] = components
    check_faithful(upstream, document, operations, routes, renames)
    return document


def _shares_response(paths: dict[str, Any], name: str) -> Iterator[bool]:
    ref = f"#/components/responses/{name}"
    for item in paths.values():
        for op in item.values():
            for response in op.get("responses", {}).values():
                yield response.get("$ref") == ref


def _describe_parameter(ours: Ours, op_id: str, param: dict[str, Any]) -> dict[str, Any]:
    mine = ours.parameter(op_id, param.get("name", ""), param.get("in", ""))
    text = mine.get("description") or _field_sentence(param.get("name", ""), param)
    out = {"name": param["name"], "in": param["in"], "description": text}
    out.update({k: v for k, v in param.items() if k not in out})
    return out


def _media_examples(mine: Any, media: str) -> dict[str, Any] | None:
    if not isinstance(mine, dict):
        return None
    examples = mine.get("content", {}).get(media, {}).get("examples")
    return copy.deepcopy(examples) if examples else None


def _describe_body(body: dict[str, Any], mine: Any, ours: Ours) -> dict[str, Any]:
    mine = ours.resolve(mine)
    out = {"description": (mine or {}).get("description") or "The request body.", **body}
    content = {}
    for media, entry in body.get("content", {}).items():
        examples = _media_examples(mine, media)
        content[media] = {**entry, **({"examples": examples} if examples else {})}
    out["content"] = content
    return out


def _describe_responses(responses: dict[str, Any], op_id: str, ours: Ours) -> dict[str, Any]:
    out = {}
    for status, response in responses.items():
        mine, ref = ours.response(op_id, status)
        if ref is not None and strip_prose(ours.resolve({"$ref": ref})) == response:
            out[status] = {"$ref": ref}  # our shared response, identical on the wire
            continue
        described: dict[str, Any] = {
            "description": mine.get("description") or _status_sentence(status)
        }
        described.update({k: v for k, v in response.items() if k != "description"})
        if "content" in response:
            content = {}
            for media, entry in response["content"].items():
                examples = _media_examples(mine, media)
                content[media] = {**entry, **({"examples": examples} if examples else {})}
            described["content"] = content
        out[status] = described
    return out


def _status_sentence(status: str) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(int(status)).phrase + "."
    except ValueError:
        return f"Status {status}."


# ---------------------------------------------------------------- the fidelity check


def check_faithful(
    upstream: dict[str, Any],
    document: dict[str, Any],
    operations: dict[str, str],
    routes: dict[str, tuple[str, str]],
    renames: dict[str, str],
) -> None:
    """Every operation and reached schema, prose and examples aside, equals the published one
    (modulo our names and the binary normalisation); a difference is a bug of this script."""

    def wire(doc: dict[str, Any], node: Any) -> Any:
        return strip_prose(_inline_responses(doc, node))

    for op_id, op_route in operations.items():
        path, method = routes[op_route]
        published = _normalise_binary(_rename_refs(upstream["paths"][path][method], renames))
        ours = document["paths"][path][method]
        drop = ("operationId", "tags")
        left = {k: v for k, v in wire(upstream, published).items() if k not in drop}
        if "parameters" in left:
            left["parameters"] = [p for p in left["parameters"] if p.get("in") != "cookie"]
        right = {k: v for k, v in wire(document, ours).items() if k not in drop}
        if left != right:
            raise SpecImportError(f"{op_id}: the imported operation differs from the published one")
    reverse = {new.rsplit("/", 1)[1]: old.rsplit("/", 1)[1] for old, new in renames.items()}
    for name, schema in document["components"].get("schemas", {}).items():
        published = upstream["components"]["schemas"][reverse.get(name, name)]
        if strip_prose(schema) != strip_prose(_normalise_binary(_rename_refs(published, renames))):
            raise SpecImportError(
                f"schema {name}: the imported schema differs from the published one"
            )


def _inline_responses(doc: dict[str, Any], op: dict[str, Any]) -> dict[str, Any]:
    responses = {}
    for status, response in op.get("responses", {}).items():
        if isinstance(response, dict) and str(response.get("$ref", "")).startswith(
            "#/components/responses/"
        ):
            response = doc["components"]["responses"][response["$ref"].rsplit("/", 1)[1]]
        responses[status] = response
    return {**op, "responses": responses}


# ---------------------------------------------------------------- output


class _Dumper(yaml.SafeDumper):
    """Block style, keys in insertion order, long strings folded only where YAML must."""


def _str_representer(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str_representer)


SCRIPT_HEADER = (
    "# Imported by scripts/import_spec.py from the provider's published spec (see\n"
    "# info.x-source and build.yaml); re-run it rather than editing the wire facts here.\n"
    "# Descriptions and the `seed` examples are ours and survive a re-import.\n"
)
PROJECT_HEADER = (
    "# Imported by `docextract generate` from the provider's published spec (see\n"
    "# info.x-source and [tool.docextract]); edit the upstream entry, not the wire facts here.\n"
    "# Descriptions written here are kept by the next import.\n"
)


def dump(document: dict[str, Any], header: str = SCRIPT_HEADER) -> str:
    """The document as YAML, after `header` (comment lines)."""
    body = yaml.dump(document, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    return header + body
