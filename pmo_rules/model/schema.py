"""The JSON Schema of the portfolio file, shorthands included."""

from __future__ import annotations

from typing import Any

from pmo_rules.model.entities import PortfolioFile


def portfolio_schema() -> dict[str, Any]:
    """The JSON Schema users validate portfolio files against (`pmo-rules schema`)."""
    schema = PortfolioFile.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "pmo-rules portfolio"
    defs = schema.get("$defs", {})
    project = defs.get("Project", {}).get("properties", {})
    if "health" in project:
        project["health"] = {"anyOf": [project["health"], {"$ref": "#/$defs/Health/properties/"
                                                                    "overall"}]}
    for key, item, short in (("artifacts", "Artifact", "status"), ("gates", "Gate", "decision")):
        if key in project:
            project[key] = {"anyOf": [
                {"type": "array", "items": {"$ref": f"#/$defs/{item}"}},
                {"type": "object", "additionalProperties": {"anyOf": [
                    {"$ref": f"#/$defs/{item}"},
                    {"$ref": f"#/$defs/{item}/properties/{short}"},
                ]}},
            ]}
    for key, item in (("objectives", "ObjectiveLink"), ("depends_on", "DependsOn")):
        if key in project:
            project[key] = {"type": "array", "items": {"anyOf": [
                {"type": "string"}, {"$ref": f"#/$defs/{item}"}]}}
    for name in ("Artifact", "Gate"):  # the map form supplies the key
        defs.get(name, {}).pop("required", None)
    return schema
