"""The JSON Schema of the portfolio file, shorthands included."""

from __future__ import annotations

from typing import Any

from pmo_rules.model.dictionary import example_value, split_doc
from pmo_rules.model.entities import PortfolioFile


def portfolio_schema() -> dict[str, Any]:
    """The JSON Schema users validate portfolio files against (`pmo-rules schema`)."""
    schema = PortfolioFile.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "pmo-rules portfolio"
    defs = schema.get("$defs", {})
    project = defs.get("Project", {}).get("properties", {})
    if "health" in project:
        health, doc = _without_doc(project["health"])
        project["health"] = {"anyOf": [health, {"$ref": "#/$defs/Health/properties/overall"}],
                             **doc}
    for key, item, short in (("artifacts", "Artifact", "status"), ("gates", "Gate", "decision")):
        if key in project:
            project[key] = {**_without_doc(project[key])[1], "anyOf": [
                {"type": "array", "items": {"$ref": f"#/$defs/{item}"}},
                {"type": "object", "additionalProperties": {"anyOf": [
                    {"$ref": f"#/$defs/{item}"},
                    {"$ref": f"#/$defs/{item}/properties/{short}"},
                ]}},
            ]}
    for key, item in (("objectives", "ObjectiveLink"), ("depends_on", "DependsOn")):
        if key in project:
            project[key] = {**_without_doc(project[key])[1], "type": "array", "items": {
                "anyOf": [{"type": "string"}, {"$ref": f"#/$defs/{item}"}]}}
    for name in ("Artifact", "Gate"):  # the map form supplies the key
        defs.get(name, {}).pop("required", None)
    for definition in defs.values():  # `title` is another spelling of a required `name`
        required = definition.get("required", [])
        if "name" in required and "title" in definition.get("properties", {}):
            required.remove("name")
            definition["anyOf"] = [{"required": ["name"]}, {"required": ["title"]}]
    _describe(schema)
    return schema


def _without_doc(node: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """A property schema split into its shape and its documentation (kept when reshaped)."""
    doc_keys = ("title", "description", "default")
    return ({k: v for k, v in node.items() if k not in doc_keys},
            {k: v for k, v in node.items() if k in doc_keys})


def _describe(node: Any) -> None:
    """Descriptions on one line, each field's example moved to `examples` (editors show both)."""
    if isinstance(node, list):
        for item in node:
            _describe(item)
        return
    if not isinstance(node, dict):
        return
    text = node.get("description")
    if isinstance(text, str):
        description, example = split_doc(text)
        node["description"] = description
        if example is not None:
            node["examples"] = [example_value(example)]
    for value in node.values():
        _describe(value)
