"""Who signs what: the foreword's signatories (people, a board signing as a whole, or nobody)
and the person who signs a lay adviser's section. Each reader reports its problems and returns
None (or what it could read), so loading goes on and every problem is found in one pass."""
from __future__ import annotations

from . import schema
from .model import Person
from .problems import Problems
from .yamlsource import Node

MAX_SIGNATORIES = 6


def read_signatories(node: Node | None, problems: Problems) -> tuple[Person, ...]:
    """Who signs the foreword: nobody (no ``signatories``, or ``[]``), up to six people, or a
    body such as the Strategic Management Board (``- body: ...``)."""
    if node is None or node.value is None:
        return ()
    items = schema.sequence(node, problems, "signatories")
    if items is None:
        return ()
    if len(items) > MAX_SIGNATORIES:
        problems.add(node.where, f"signatories: give at most {MAX_SIGNATORIES} (found {len(items)})")
    people = [_signatory(item, problems) for item in items]
    return tuple(p for p in people if p)


def _signatory(node: Node, problems: Problems) -> Person | None:
    if node.is_mapping and "body" in node.value:
        fields = schema.mapping(node, problems, "signatory", required=("body",))
        body = schema.text(fields.get("body"), problems, "signatory body", max_length=200) if fields else None
        return Person(body) if body else None
    return read_person(node, problems, "signatory", organisation_required=True)


def read_person(node: Node, problems: Problems, what: str, organisation_required: bool) -> Person | None:
    required = ("name", "role", "organisation") if organisation_required else ("name", "role")
    fields = schema.mapping(node, problems, what, required=required, optional=() if organisation_required else ("organisation",))
    if fields is None:
        return None
    values = {k: schema.text(fields.get(k), problems, f"{what} {k}", max_length=200) for k in ("name", "role", "organisation")}
    if not values["name"] or not values["role"]:
        return None
    return Person(values["name"], values["role"], values["organisation"] or "")
