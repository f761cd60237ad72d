"""JSON Schemas for editors (yaml-language-server), made from the models `check` reads with.

Each value type carries the schema of its own reader (model.py, values.py: the same expressions for
numbers, dates, fiscal years, ids, quarters; NFC variants of গড়); here every key gets its Bengali
title and description (glossary.py, shown when hovering in an editor), dicts keyed by indicator id
get the id's pattern for their keys, and every value may be written annotated (inputs/annotations.py).
tests/test_schema_agreement.py runs these schemas and `check` on one list of cases."""

from __future__ import annotations

import typing

from pydantic import BaseModel

from sebabox.calendar import Calendar
from sebabox.glossary import field_text
from sebabox.inputs.annotations import schema_with_annotations
from sebabox.model import Apa, Charter, GovernancePlan, Id, Office, Progress, Template

KINDS: dict[str, type[BaseModel]] = {"office": Office, "plan": GovernancePlan, "template": Template, "apa": Apa,
                                     "progress": Progress, "charter": Charter, "calendar": Calendar}


def build_schemas() -> dict[str, dict]:
    """File kind (office, plan, …) -> its JSON Schema."""
    return {name: schema_for(model) for name, model in KINDS.items()}


def schema_for(model: type[BaseModel]) -> dict:
    schema = model.model_json_schema()
    models = {cls.__name__: cls for cls in _models(model)}
    _describe(schema, model)
    for name, sub in schema.get("$defs", {}).items():
        if name in models:
            _describe(sub, models[name])
    schema = schema_with_annotations(schema)
    _annotated_values_keep_their_type(schema)
    for key, prop in schema["$defs"]["Annotated"]["properties"].items():
        prop["title"], prop["description"] = field_text(key, "Annotated")
    return schema


ANNOTATED = {"$ref": "#/$defs/Annotated"}


def _annotated_values_keep_their_type(schema: dict) -> None:
    """{value: …, accepted: …} in place of a value: the value still has that place's type."""
    def fix(node):
        if isinstance(node, dict):
            options = node.get("anyOf")
            if isinstance(options, list) and len(options) == 2 and options[1] == ANNOTATED:
                options[1] = {"allOf": [ANNOTATED, {"properties": {"value": options[0]}}]}
            for value in node.values():
                fix(value)
        elif isinstance(node, list):
            for value in node:
                fix(value)

    fix(schema)


def _models(model: type[BaseModel]) -> list[type[BaseModel]]:
    """The model and every model its fields hold, at any depth."""
    seen: list[type[BaseModel]] = []
    todo = [model]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.append(current)
        for info in current.model_fields.values():
            todo += [arg for arg in _args(info.annotation) if isinstance(arg, type) and issubclass(arg, BaseModel)]
    return seen


def _args(annotation) -> list:
    found, todo = [], [annotation]
    while todo:
        current = todo.pop()
        found.append(current)
        todo += typing.get_args(current)
    return found


def _describe(schema: dict, model: type[BaseModel]) -> None:
    """Bengali title and description on every property; indicator-id keys checked like `check` does."""
    id_keys = Id.__metadata__[-1].json_schema["anyOf"][-1]  # the id's written form
    for key, prop in schema.get("properties", {}).items():
        info = model.model_fields.get(key)
        own = info.title if info is not None and info.title and _is_bengali(info.title) else None
        text = field_text(key, model.__name__)
        if own:
            prop["title"] = own
            prop["description"] = info.description or (text[1] if text else own)
        elif text:
            prop["title"], prop["description"] = text
        if info is not None and typing.get_origin(_unoptional(info.annotation)) is dict \
                and typing.get_args(_unoptional(info.annotation))[0] == Id:
            prop["propertyNames"] = {"pattern": id_keys["pattern"]}


def _unoptional(annotation):
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    return args[0] if typing.get_origin(annotation) in (typing.Union, getattr(__import__("types"), "UnionType")) \
        and len(args) == 1 else annotation


def _is_bengali(text: str) -> bool:
    return any("\u0980" <= ch <= "\u09ff" for ch in text)
