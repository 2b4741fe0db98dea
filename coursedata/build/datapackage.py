"""Assemble the Frictionless Data Package descriptor from the builders' Table objects."""

from __future__ import annotations

from typing import Any

from coursedata.build.common import Field, Table

PACKAGE = {
    "profile": "data-package",
    "name": "social-program-course-data",
    "title": "Datasets of the open course on social programme management",
    "description": "Tidy tables derived by datasets/build.py from the raw files in "
    "datasets/raw/: a transcription of the 2020-21 Volgograd survey of NGOs and local "
    "government, Rosstat tables on socially oriented NGOs (form 1-СОНКО), regional "
    "social-support spending by recipient category, regional poverty and population, and the "
    "Uruguay PANES transfer data and three classic evaluation data sets (National Supported Work, "
    "Thornton's HIV-results experiment, organ-donor registrations). Russian labels are kept in *_ru columns.",
    "version": "1.0.0",
}


def field_descriptor(field: Field) -> dict[str, Any]:
    """One schema field: name, type, description, plus unit / Russian label / enum if any."""
    out: dict[str, Any] = {"name": field.name, "type": field.type, "description": field.description}
    if field.unit:
        out["unit"] = field.unit
    if field.label_ru:
        out["label_ru"] = field.label_ru
    if field.enum:
        out["constraints"] = {"enum": list(field.enum)}
    if field.type == "boolean":
        out["trueValues"] = ["True"]
        out["falseValues"] = ["False"]
    return out


def resource_descriptor(table: Table) -> dict[str, Any]:
    """One resource of the package."""
    schema: dict[str, Any] = {
        "fields": [field_descriptor(f) for f in table.fields],
        "missingValues": [""],
    }
    if table.primary_key:
        schema["primaryKey"] = table.primary_key
    out = {
        "name": table.name,
        "path": table.path,
        "profile": "tabular-data-resource",
        "title": table.title,
        "description": table.description,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "sources": table.sources,
        "licenses": table.licenses,
        "schema": schema,
    }
    if table.notes:
        out["notes"] = table.notes
    return out


def package_descriptor(tables: list[Table]) -> dict[str, Any]:
    """The whole datapackage.json content; licences are the union of the resources'."""
    licences: list[dict[str, str]] = []
    for table in tables:
        for lic in table.licenses:
            if lic not in licences:
                licences.append(lic)
    return {**PACKAGE, "licenses": licences, "resources": [resource_descriptor(t) for t in tables]}
