"""The area's own text as Markdown, and the signatures and contacts printed with it."""
from __future__ import annotations

import re
from dataclasses import dataclass

from .sections import _LIST, _NAME_START, Block, blocks, looks_like_heading
from .text import Line

_ORGANISATION = re.compile(
    r"(?:(?:HM|Her Majesty['’]s)\s+)?(?:Prison and Probation|Prison|Probation|Youth Offending)\s+Service|National Probation Service|"
    r"(?:[A-Z][a-z]+\s+){1,3}(?:Police|Constabulary|Probation Trust|Council|NHS Trust|Foundation Trust|"
    r"Community Rehabilitation Company|CRC|Prison|Health Board)|Probation Service|HM Prison Service")
_PHONE = re.compile(r"^(?:(?:tel(?:ephone)?|phone)[:.]?\s*)?(\+?\d[\d ]{1,14}\d)$", re.I)
_EMAIL = re.compile(r"^(?:e-?mail[:.]?\s*)?([^@\s]+@[^@\s]+\.[^@\s]+)$", re.I)
_WEB = re.compile(r"^(?:web(?:site)?[:.]?\s*)?((?:https?://|www\.)\S+)$", re.I)
_TRAILING_PHONE = re.compile(r"^(.*\D)\s+((?:0\d{2,4}\s?\d{3}\s?\d{3,4})|\d{3})$")


@dataclass(frozen=True)
class Person:
    name: str
    role: str
    organisation: str
    line: int


@dataclass
class Contact:
    name: str
    line: int
    phone: str = ""
    email: str = ""
    web: str = ""
    note: str = ""


def escape(text: str) -> str:
    """Text that Markdown shows as printed (no emphasis, links or HTML made by accident)."""
    text = re.sub(r"([\\`*_\[\]<>|])", r"\\\1", text)
    text = re.sub(r"^([#>+=])", r"\\\1", text)
    return re.sub(r"^(\d+)([.)])(?=\s)", r"\1\\\2", text)


def _join(lines: list[Line]) -> str:
    text = ""
    for line in lines:
        part = " ".join(line.text.split())
        if text.endswith("-") and not text.endswith(" -") and part[:1].islower():
            text = text + part  # a word broken at the line end
        else:
            text = f"{text} {part}" if text else part
    return text


def markdown(lines: list[Line], heading_level: int = 2) -> tuple[str, list[int]]:
    """The text as Markdown paragraphs, lists and subheadings; and the source line of each block."""
    out: list[str] = []
    where: list[int] = []
    body = blocks(lines)
    for i, block in enumerate(body):
        before = body[i - 1] if i else None
        after = body[i + 1] if i + 1 < len(body) else None
        where.append(block.number)
        if looks_like_heading(block, before, after) and after is not None:
            out.append("#" * heading_level + " " + escape(block.text))
            continue
        items = _list_items(block) or _short_lines(block)
        if items:
            out.append("\n".join(f"{marker} {escape(text)}" for marker, text in items))
        else:
            out.append(escape(_join(list(block.lines))))
    return "\n\n".join(out) + "\n", where


def _list_items(block: Block) -> list[tuple[str, str]]:
    if not _LIST.match(block.lines[0].text):
        return []
    items: list[tuple[str, list[Line]]] = []
    for line in block.lines:
        match = _LIST.match(line.text)
        if match:
            marker = match.group(0).strip()
            marker = "-" if marker == "-" or marker.startswith("(") else re.sub(r"\)$", ".", marker)
            rest = line.text[match.end():] if not match.group(0).startswith("(") else line.text
            items.append((marker, [Line(line.number, rest)]))
        else:
            items[-1][1].append(line)
    return [(marker, _join(lines)) for marker, lines in items]


def _short_lines(block: Block) -> list[tuple[str, str]]:
    """A list whose bullets the extraction lost: three or more short lines, each a phrase."""
    texts = [" ".join(l.text.split()) for l in block.lines]
    if len(texts) < 3 or any(len(t) > 60 or not t[:1].isupper() or re.search(r"[.,;:]$", t) for t in texts):
        return []
    return [("-", t) for t in texts]


# -- signatures ----------------------------------------------------------------------------------
def split_signatures(lines: list[Line]) -> tuple[list[Line], list[Person]]:
    """The introduction without its closing signatures, and the people who signed it."""
    body = blocks(lines)
    people: list[Person] = []
    cut = len(body)
    while cut and _is_signature(body[cut - 1]):
        cut -= 1
    for block in body[cut:]:
        people += _people(block)
    if cut == len(body):
        return lines, people
    first = body[cut].number
    return [l for l in lines if l.number < first], people


def _is_signature(block: Block) -> bool:
    first = block.lines[0].text
    columns = max(1, len(re.split(r"\s{3,}", first)))
    return (len(block.lines) <= 5 + columns and len(block.text) < 260 * columns and bool(_NAME_START.match(first) or re.match(r"^(?:[A-Z]\.\s*)*[A-Z][a-zA-Z'’-]+(?:\s+[A-Z][a-zA-Z'’.-]+){0,2}$", first))
            and not re.search(r"[.!?]$", block.lines[-1].text))


def _people(block: Block) -> list[Person]:
    if re.search(r"\s{3,}", block.lines[0].text):  # signatures side by side: columns by position
        segments = [[(m.start() + l.indent, m.group(0)) for m in re.finditer(r"\S(?:.*?\S)?(?=\s{3,}|$)", l.text)] for l in block.lines]
        starts = [start for start, _ in segments[0]]
        columns: list[list[str]] = [[] for _ in starts]
        for line in segments:
            for start, text in line:
                k = min(range(len(starts)), key=lambda i: abs(starts[i] - start))
                columns[k].append(text)
        return [_person(c[0], c[1:], block.number) for c in columns if c]
    text = " ".join(" ".join(l.text.split()) for l in block.lines)
    if "," in text:
        name, rest = text.split(",", 1)
        return [_person(name, [rest.strip().rstrip(",")], block.number)]
    lines = [l.text for l in block.lines]
    return [_person(lines[0], lines[1:], block.number)]


def _person(name: str, rest: list[str], line: int) -> Person:
    joined: list[str] = []
    for part in rest:  # a role broken inside brackets: "Chief Constable (SMB" + "Chair)"
        if joined and joined[-1].count("(") > joined[-1].count(")"):
            joined[-1] += " " + part
        else:
            joined.append(part)
    rest = joined
    if len(rest) >= 2 and "," not in " ".join(rest):  # name, role, organisation on lines of their own
        # Lines break where the column ends: the organisation is the last line, or the last two.
        tail = f"{rest[-2]} {rest[-1]}" if len(rest) >= 3 else ""
        if not _ORGANISATION.fullmatch(rest[-1].strip()) and (_ORGANISATION.fullmatch(tail) or tail and len(rest[-1].split()) <= 2):
            rest = [*rest[:-2], tail]
        return Person(name.strip(), " ".join(rest[:-1]).strip(), rest[-1].strip(), line)
    text = " ".join(rest)
    parts = [p.strip() for p in text.split(",") if p.strip()]
    separate = [p for p in parts if _ORGANISATION.fullmatch(p)]
    if separate:
        organisation = separate[-1]
        role = ", ".join(p for p in parts if p is not organisation)
        return Person(name.strip(), role, organisation, line)
    found = list(_ORGANISATION.finditer(text))
    if not found:
        return Person(name.strip(), text.strip(), "", line)
    organisation = found[-1].group(0).strip()
    role = text[: found[-1].start()].strip() if text.rstrip().endswith(organisation) else text.strip()
    return Person(name.strip(), role.strip(" ,") or text.strip(), organisation, line)


# -- contacts ------------------------------------------------------------------------------------
def contacts(lines: list[Line]) -> tuple[list[Contact], list[Line]]:
    """The useful links printed at the end of a report; the lines that are none of them."""
    found: list[Contact] = []
    rest: list[Line] = []
    texts = [l for l in lines if l.text]
    merged: list[Line] = []
    for line in texts:  # a web address broken at a hyphen
        if merged and re.search(r"(https?://|www\.)\S*-$", merged[-1].text) and " " not in line.text:
            merged[-1] = Line(merged[-1].number, merged[-1].text + line.text)
        else:
            merged.append(line)
    for line in merged:
        text = " ".join(line.text.split())
        if (m := _EMAIL.match(text)) and found:
            found[-1].email = found[-1].email or m.group(1)
        elif (m := _WEB.match(text)) and found:
            found[-1].web = found[-1].web or m.group(1).rstrip("/.,")
        elif (m := _PHONE.match(text)) and found:
            found[-1].phone = found[-1].phone or m.group(1)
        elif found and _is_note(text):
            found[-1].note = (found[-1].note + " " + text).strip()
        elif len(text) <= 80 and not text.endswith("."):
            phone = _TRAILING_PHONE.match(text)
            if phone:
                found.append(Contact(phone.group(1).strip(), line.number, phone=phone.group(2)))
            else:
                found.append(Contact(text, line.number))
        else:
            rest.append(line)
    return found, rest


def _is_note(text: str) -> bool:
    words = re.findall(r"[A-Za-z]+", text)
    lower = sum(1 for w in words if w[0].islower())
    return len(words) >= 2 and lower >= len(words) / 2
