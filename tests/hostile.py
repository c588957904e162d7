"""A corpus of hostile text and a project that carries it in every field an author can write.

Each payload goes into every Markdown body and every YAML text field of a one-area copy of the
example project (site, area, links, logo description, signatories, population estimate, section
titles, lay adviser). The build either succeeds, or refuses some fields with ``path:line:col``
problems: those fields are put back and the build is tried again, until it succeeds. So every
field ends up either rendered (and then checked by the tests) or refused (and its problem
recorded).
"""
from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from mappa_ssg import build
from mappa_ssg.problems import Problem, Problems
from mappa_ssg.yamlsource import Node, load_yaml

REPO = Path(__file__).resolve().parent.parent
LLR = "leicester-leicestershire-and-rutland"
REPORT = f"content/{LLR}/2020-21"
PROBLEM = re.compile(r"^[^:]+:\d+:\d+: .+")
# A 1x1 PNG, so the area has a logo and logo_alt is a field like any other.
TINY_PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                         "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")

PAYLOADS: dict[str, str] = {
    "script tag": '<script>alert("script tag")</script>',
    "event handler": '<img src=x onerror=alert("onerror")>',
    "attribute break-out": '" onmouseover="alert(1)" data-x=\'',
    "javascript: URL": "javascript:alert(document.domain)",
    "Markdown javascript: link": '[press here](javascript:alert("md link")) <javascript:alert(2)>',
    "SVG with script": '<svg onload=alert("svg")><script>alert("svg script")</script></svg>',
    "HTML entities": '&lt;script&gt;alert("entity")&lt;/script&gt; &#60;b&#62;bold&#60;/b&#62; &amp;amp; &#x6A;avascript:',
    "template expression": "{{ 7*191 }} {{ site.publisher }} {{ self.__init__ }}",
    "template statement": "{% for x in range(3) %}LOOPED{% endfor %}{% raw %} {# comment #}",
    "very long word": "Supercalifragilistic" * 60,
    "right-to-left override": "report\u202egnp.exe",
    "style and iframe": '<style>body{display:none}</style><iframe src="https://example.org"></iframe>',
    "data: URL": "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "HTML block in Markdown": '<div onclick="alert(1)">\n\n**bold** <a href="javascript:alert(3)">x</a>\n\n</div>',
    "control characters": "bell\x07 escape\x1b[31m end",
}

# YAML fields: (file, path of keys) for every piece of text an author writes.
YAML_FIELDS: list[tuple[str, tuple]] = [
    ("content/site.yaml", ("title",)),
    ("content/site.yaml", ("publisher",)),
    ("content/site.yaml", ("contact_email",)),
    ("content/site.yaml", ("base_url",)),
    ("content/site.yaml", ("language",)),
    (f"content/{LLR}/area.yaml", ("name",)),
    (f"content/{LLR}/area.yaml", ("short_name",)),
    (f"content/{LLR}/area.yaml", ("language",)),
    (f"content/{LLR}/area.yaml", ("logo_alt",)),
    *[(f"content/{LLR}/area.yaml", ("links", 0, key)) for key in ("name", "phone", "email", "web", "note")],
    *[(f"content/{LLR}/area.yaml", ("links", 1, key)) for key in ("name", "note")],
    *[(f"{REPORT}/report.yaml", ("signatories", i, key)) for i in (0, 1) for key in ("name", "role", "organisation")],
    (f"{REPORT}/report.yaml", ("population", "estimate")),
]
MARKDOWN = ("introduction", "local-page", "agencies", "case-study", "lay-adviser", "objectives")
# Settings (front matter) fields of Markdown sections.
FRONT_FIELDS: list[tuple[str, tuple]] = [
    *[(f"{REPORT}/{name}.md", ("title",)) for name in MARKDOWN],
    *[(f"{REPORT}/lay-adviser.md", ("signed_by", key)) for key in ("name", "role", "organisation")],
]
BODY_FIELDS: list[tuple[str, tuple]] = [(f"{REPORT}/{name}.md", ("body",)) for name in MARKDOWN]
FIELDS = YAML_FIELDS + FRONT_FIELDS + BODY_FIELDS
# Fields with a format of their own (addresses, language codes): any payload is refused there.
FORMATTED = {("content/site.yaml", ("contact_email",)), ("content/site.yaml", ("base_url",)), ("content/site.yaml", ("language",)),
             (f"content/{LLR}/area.yaml", ("language",)), (f"content/{LLR}/area.yaml", ("links", 0, "email")),
             (f"content/{LLR}/area.yaml", ("links", 0, "web"))}


@dataclass
class Outcome:
    """What became of one payload: the built output, and the fields refused with their problems."""

    payload: str
    output: Path
    refused: dict[tuple[str, tuple], list[str]] = field(default_factory=dict)
    builds: int = 0

    @property
    def rendered(self) -> list[tuple[str, tuple]]:
        return [f for f in FIELDS if f not in self.refused]


def make_project(root: Path) -> Path:
    """The example's site, one area (with a logo) and its 2020-21 report: every kind of field."""
    shutil.copytree(REPO / "templates", root / "templates")
    for name in ("content/site.yaml", f"content/{LLR}/area.yaml"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(REPO / name, root / name)
    shutil.copytree(REPO / REPORT, root / REPORT)
    (root / f"content/{LLR}/logo.png").write_bytes(TINY_PNG)
    return root


def _originals(root: Path) -> dict[str, tuple[object, str]]:
    """Each file's data (YAML data, or front matter data with the body) before any payload."""
    files: dict[str, tuple[object, str]] = {}
    for name in {f for f, _ in FIELDS}:
        text = (root / name).read_text(encoding="utf-8")
        if name.endswith(".yaml"):
            data = yaml.safe_load(text)
            if name.endswith("area.yaml"):
                data.update(logo="logo.png", logo_alt="The area's logo")
            files[name] = (data, "")
        else:
            front, body = ({}, text)
            if text.startswith("---\n"):
                _, head, body = text.split("---\n", 2)
                front = yaml.safe_load(head)
            files[name] = (front, body)
    return files


def _write(root: Path, originals: dict[str, tuple[object, str]], payload: str, active: set) -> None:
    for name, (data, body) in originals.items():
        data = yaml.safe_load(yaml.safe_dump(data))  # a deep copy
        for file, keys in active:
            if file != name:
                continue
            if keys == ("body",):
                # Keep the original text after the payload: an objectives section must stay a list.
                body = f"{payload}\n\n{originals[name][1]}"
                continue
            holder = data
            for key in keys[:-1]:
                holder = holder.setdefault(key, {}) if isinstance(holder, dict) else holder[key]
            holder[keys[-1]] = payload
        dumped = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000)
        text = dumped if name.endswith(".yaml") else (f"---\n{dumped}---\n{body}" if data else body)
        (root / name).write_text(text, encoding="utf-8")


def _lines(root: Path, name: str) -> dict[int, tuple[str, tuple]]:
    """Which field sits on which line of a written file (found with mappa's own located loader)."""
    text = (root / name).read_text(encoding="utf-8")
    fields = [f for f in FIELDS if f[0] == name and f[1] != ("body",)]
    if name.endswith(".md"):
        if not text.startswith("---\n"):
            return {}
        head = text.split("---\n", 2)[1]
        text = "\n" + head  # the same padding mappa uses, so lines match the file's
    node = load_yaml(name, text, Problems())
    lines: dict[int, tuple[str, tuple]] = {}
    for file_field in fields:
        value: Node | None = node
        for key in file_field[1]:
            inner = value.value if value is not None else None
            if isinstance(inner, dict):
                value = inner.get(key)
            elif isinstance(inner, list) and isinstance(key, int) and key < len(inner):
                value = inner[key]
            else:
                value = None
        if value is not None:
            lines[value.where.line] = file_field
    return lines


def _culprits(root: Path, problems: list[Problem]) -> dict[tuple[str, tuple], list[str]]:
    """The fields the problems point at; a problem in a Markdown body is blamed on the body."""
    blamed: dict[tuple[str, tuple], list[str]] = {}
    for problem in problems:
        lines = _lines(root, problem.path) if (root / problem.path).is_file() else {}
        found = lines.get(problem.line)
        if found is None and problem.path.endswith(".md"):
            found = (problem.path, ("body",))
        if found is None:
            raise AssertionError(f"a problem that points at no field: {problem}")
        blamed.setdefault(found, []).append(str(problem))
    return blamed


def try_payload(root: Path, payload: str) -> Outcome:
    """Put ``payload`` in every field; put back refused fields until the build succeeds."""
    originals = _originals(root)
    active = set(FIELDS)
    outcome = Outcome(payload, root / "output")
    for _ in range(6):
        _write(root, originals, payload, active)
        result = build(root, pdf=False)
        outcome.builds += 1
        bad = [str(p) for p in result.problems if not PROBLEM.match(str(p))]
        assert not bad, f"problems without path:line:col: {bad}"
        if result.ok:
            return outcome
        blamed = _culprits(root, result.errors)
        outcome.refused.update(blamed)
        active -= set(blamed)
    raise AssertionError(f"still refused after putting fields back: {[str(p) for p in result.errors]}")
