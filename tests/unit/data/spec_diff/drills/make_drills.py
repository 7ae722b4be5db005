"""Write the spec-diff drill pairs from fragments of LlamaCloud's published spec.

    python tests/unit/data/spec_diff/drills/make_drills.py \
        ../shared/upstream/llamacloud/openapi-2026-08-20.json

Each drill is `<name>.old.json` and `<name>.new.json`: the upstream's own operations and schemas
(trimmed to the parts the drill needs, prose dropped), the "new" side as published, the "old"
side the way an earlier version spelled the same thing. tests/unit/test_spec_diff.py asserts
the exact report and exit status of each; tests/contract/test_drills.py regenerates the clients
of the pairs that change the generated Python API. Deterministic: the same upstream gives the
same bytes.
"""

import copy
import json
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
PROSE = {"description", "summary", "examples", "example", "x-enum-order-preserved"}

Doc = dict[str, Any]


def _plain(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _plain(v) for k, v in node.items() if k not in PROSE}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    return node


def _refs(node: Any) -> set[str]:
    if isinstance(node, dict):
        found = {str(node["$ref"]).rsplit("/", 1)[-1]} if "$ref" in node else set()
        return found.union(*(_refs(v) for v in node.values()))
    if isinstance(node, list):
        return set().union(*(_refs(v) for v in node))
    return set()


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


class Upstream:
    def __init__(self, path: Path) -> None:
        self.doc = json.loads(path.read_text(encoding="utf-8"))

    def schema(self, name: str, *keep: str) -> Doc:
        """A component schema, only the properties `keep` (all when empty)."""
        schema: Doc = _plain(copy.deepcopy(self.doc["components"]["schemas"][name]))
        if keep:
            schema["properties"] = {k: v for k, v in schema["properties"].items() if k in keep}
            schema["required"] = [r for r in schema.get("required", []) if r in keep]
        return schema

    def operation(self, path: str, method: str, *, parameters: tuple[str, ...] = ()) -> Doc:
        """An operation: its ID, tags, security and the parameters named, no prose."""
        source = self.doc["paths"][path][method]
        operation: Doc = {
            "operationId": source["operationId"],
            "tags": source.get("tags", []),
        }
        if "security" in source:
            operation["security"] = source["security"]
        if parameters:
            operation["parameters"] = [
                _plain(p) for p in source.get("parameters", []) if p["name"] in parameters
            ]
        if "requestBody" in source:
            operation["requestBody"] = _plain(source["requestBody"])
        success = next(status for status in source["responses"] if status.startswith("2"))
        response = {**_plain(source["responses"][success]), "description": "ok"}  # required
        operation["responses"] = {success: response}
        return operation

    def document(self, paths: Doc, schemas: Doc, *, security: Any = None) -> Doc:
        doc: Doc = {
            "openapi": self.doc["openapi"],
            "info": {"title": self.doc["info"]["title"], "version": self.doc["info"]["version"]},
            "servers": self.doc.get("servers", [{"url": "https://api.cloud.llamaindex.ai"}]),
            "paths": paths,
            "components": {
                "schemas": schemas,
                "securitySchemes": self.doc["components"]["securitySchemes"],
            },
        }
        if security is not None:
            doc["security"] = security
        # a schema the fragment refers to but does not need: an opaque object, so that the
        # fragment stays a valid document the build can generate a client from
        for name in sorted(_refs(paths) | _refs(schemas)):
            schemas.setdefault(name, {"type": "object", "title": name})
        return doc


def drills(up: Upstream) -> dict[str, tuple[Doc, Doc]]:
    found: dict[str, tuple[Doc, Doc]] = {}

    # 1. a value removed from an open enum, anyOf[{enum}, {type: string}]: any string is still
    #    accepted (ParseRequestConfiguration.tier of POST /api/v2/parse)
    parse = {"/api/v2/parse": {"post": up.operation("/api/v2/parse", "post")}}
    parse["/api/v2/parse"]["post"]["requestBody"] = {
        "required": True,
        "content": {"application/json": {"schema": _ref("ParseRequestConfiguration")}},
    }
    new_conf = up.schema("ParseRequestConfiguration", "tier", "version")
    old_conf = copy.deepcopy(new_conf)
    old_conf["properties"]["tier"]["anyOf"][0]["enum"].append("premium")
    schemas_old = {"ParseRequestConfiguration": old_conf}
    schemas_new = {"ParseRequestConfiguration": new_conf}
    found["open_enum_value_removed"] = (
        up.document(parse, schemas_old),
        up.document(parse, schemas_new),
    )

    # 2. a closed enum widened to an open one, {enum} -> anyOf[{enum}, {type: string}]
    closed = copy.deepcopy(new_conf)
    closed["properties"]["tier"] = {"type": "string", **new_conf["properties"]["tier"]["anyOf"][0]}
    closed["properties"]["tier"].pop("anyOf", None)
    found["enum_opened"] = (
        up.document(parse, {"ParseRequestConfiguration": closed}),
        up.document(parse, schemas_new),
    )

    # 3. an inline union of enums refactored into one $ref with the same values
    #    (ExtractConfiguration.tier: the paid tiers apart, then one ExtractTier)
    create = {"/api/v2/extract": {"post": up.operation("/api/v2/extract", "post")}}
    create_body = up.schema("ExtractV2JobCreate", "file_input", "configuration")
    extract_conf = up.schema("ExtractConfiguration", "tier", "extraction_target")
    inline = copy.deepcopy(extract_conf)
    tier = inline["properties"]["tier"]
    inline["properties"]["tier"] = {"anyOf": [
        {"type": "string", "enum": tier["enum"][:1]},
        {"type": "string", "enum": tier["enum"][1:]},
        {"type": "null"},
    ]}  # fmt: skip
    by_ref = copy.deepcopy(inline)
    by_ref["properties"]["tier"] = {"anyOf": [_ref("ExtractTier"), {"type": "null"}]}
    base = {
        "ExtractV2JobCreate": create_body,
        "ExtractV2Job": up.schema("ExtractV2Job", "id", "file_input"),
    }
    found["union_refactored_through_ref"] = (
        up.document(create, {**base, "ExtractConfiguration": inline}),
        up.document(
            create,
            {
                **base,
                "ExtractConfiguration": by_ref,
                "ExtractTier": {"type": "string", "enum": tier["enum"]},
            },
        ),
    )

    # 4. a $ref inside a union renamed to an identical schema (FormsResult.pages items)
    forms = {
        "FormsResult": up.schema("FormsResult"),
        "FormsResultPage": up.schema("FormsResultPage", "page_number", "success"),
        "FailedFormsPage": up.schema("FailedFormsPage"),
    }
    renamed = copy.deepcopy(forms)
    renamed["FailedPage"] = renamed.pop("FailedFormsPage")
    renamed["FailedPage"]["title"] = "FailedPage"
    renamed["FormsResult"]["properties"]["pages"]["items"]["anyOf"][1] = _ref("FailedPage")
    results = {"/api/v2/parse/forms": {"get": {
        "operationId": "get_forms",
        "tags": ["V2"],
        "responses": {"200": {"description": "ok", "content": {"application/json": {
            "schema": _ref("FormsResult"),
        }}}},
    }}}  # fmt: skip
    found["union_member_renamed"] = (up.document(results, forms), up.document(results, renamed))

    # 5. the global security removed while every operation declares the same scheme itself
    job_path = "/api/v2/extract/{job_id}"
    get_job = {job_path: {"get": up.operation(job_path, "get", parameters=("job_id",))}}
    job = {"ExtractV2Job": up.schema("ExtractV2Job", "id", "status")}
    job["ExtractV2Job"]["properties"]["status"] = {"type": "string"}
    found["security_moved_to_operations"] = (
        up.document(get_job, job, security=[{"HTTPBearer": []}]),
        up.document(get_job, job),
    )

    # 6. document_input_value -> file_input in the job and in the create body
    def with_input(name: str) -> Doc:
        body = up.schema("ExtractV2JobCreate", "file_input", "configuration_id")
        answer = up.schema("ExtractV2Job", "id", "file_input")
        for schema in (body, answer):
            schema["properties"] = {
                (name if k == "file_input" else k): v for k, v in schema["properties"].items()
            }
            schema["required"] = [name if r == "file_input" else r for r in schema["required"]]
        return {"ExtractV2JobCreate": body, "ExtractV2Job": answer}

    found["document_input_value_to_file_input"] = (
        up.document(create, with_input("document_input_value")),
        up.document(create, with_input("file_input")),
    )

    # 7. a schema renamed with the same content (ExtractV2JobCreate -> ExtractJobCreate)
    old_schemas = with_input("file_input")
    new_schemas = {
        "ExtractJobCreate": {**old_schemas["ExtractV2JobCreate"], "title": "ExtractJobCreate"},
        "ExtractV2Job": old_schemas["ExtractV2Job"],
    }
    renamed_create = copy.deepcopy(create)
    renamed_body = renamed_create["/api/v2/extract"]["post"]["requestBody"]
    renamed_body["content"]["application/json"]["schema"] = _ref("ExtractJobCreate")
    found["schema_renamed"] = (
        up.document(create, old_schemas),
        up.document(renamed_create, new_schemas),
    )

    # 8. format: binary -> contentMediaType (POST /api/v1/beta/files, its multipart body)
    upload = {"/api/v1/beta/files": {"post": up.operation("/api/v1/beta/files", "post")}}
    form = upload["/api/v1/beta/files"]["post"]["requestBody"]["content"]["multipart/form-data"]
    form_name = form["schema"]["$ref"].rsplit("/", 1)[-1]
    new_form = up.schema(form_name, "file", "purpose")
    old_form = copy.deepcopy(new_form)
    old_form["properties"]["file"] = {"type": "string", "format": "binary", "title": "File"}
    file_schema = up.schema("FileV2", "id", "name")
    found["binary_to_content_media_type"] = (
        up.document(upload, {form_name: old_form, "FileV2": file_schema}),
        up.document(upload, {form_name: new_form, "FileV2": file_schema}),
    )

    # 9. a deprecation: the list filter document_input_value of GET /api/v2/extract
    filters = ("document_input_value", "file_input")
    listing = up.operation("/api/v2/extract", "get", parameters=filters)
    listing["responses"] = {"200": {"description": "ok"}}
    old_listing = copy.deepcopy(listing)
    for parameter in old_listing["parameters"]:
        parameter.pop("deprecated", None)
        parameter["schema"].pop("deprecated", None)
    found["parameter_deprecated"] = (
        up.document({"/api/v2/extract": {"get": old_listing}}, {}),
        up.document({"/api/v2/extract": {"get": listing}}, {}),
    )
    return found


def main(argv: list[str]) -> int:
    up = Upstream(Path(argv[1]))
    for name, (old, new) in drills(up).items():
        for side, doc in (("old", old), ("new", new)):
            text = json.dumps(doc, indent=1, sort_keys=True) + "\n"
            (HERE / f"{name}.{side}.json").write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
