"""Finding the statistics tables in a report's text, guided by the edition's table definitions.

Nothing here knows a particular report. Captions, group labels and row labels come from the
edition (``templates/editions/*/edition.yaml``) and are matched by shared words; figures are
read after their row label, across as many lines as the text spreads them (one number a
line, a row broken in two, a number broken by a line end when the row total shows where).
"-" (not applicable) is kept apart from 0; "x%" and other text is never read as a figure.
"""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from ..editions import Edition
from ..tablespecs import TableSpec
from .text import Line
from .words import dice, words

Cell = int | str  # a count, or "-" for not applicable
RATE = "rso_per_100k"
_RATE_LABELS = ("Registered sexual offenders per 100,000 population",
                "Registered sexual offenders per 100,000 people aged 10 and over")
_CELL = re.compile(r"^(?:\d{1,3}(?:,\d{3})+|\d+|[-\u2013\u2014]|n/a)$", re.I)
_DATES = re.compile(r"\b\d{1,2}\s+(?:january|february|march|april|may|june|july|august|september|october|november|december)\s+\d{4}\b|\b\d{4}(?:-\d{2})?\b", re.I)
_MATCH = 0.6


@dataclass
class Found:
    """What was read from the statistics: every value with the source line it came from."""

    grids: dict[tuple[str, str | None, str], tuple[list[Cell], int]] = field(default_factory=dict)
    figures: dict[tuple[str, str], tuple[Cell, int]] = field(default_factory=dict)
    rate: tuple[int, int] | None = None
    population: tuple[int, int] | None = None
    estimate: tuple[str, int] | None = None
    unplaced: list[Line] = field(default_factory=list)
    notes: list[tuple[int, str]] = field(default_factory=list)  # (line, warning)


def cell(token: str) -> Cell | None:
    if not _CELL.match(token):
        return None
    return "-" if not token[0].isdigit() else int(token.replace(",", ""))


def _caption_words(text: str) -> str:
    return _DATES.sub(" ", text)


@dataclass
class _Open:
    key: tuple[str, str | None, str]
    cells: list[Cell]
    line: int
    width: int


class _Reader:
    def __init__(self, edition: Edition):
        self.edition = edition
        self.grids = [t for t in edition.tables if t.kind == "grid"]
        self.rows: list[tuple[tuple[str, str], list[str]]] = []  # ((table, row), label variants)
        for spec in edition.tables:
            if spec.kind != "figures":
                continue
            for row_id, label in spec.rows:
                variants = [label, *re.findall(r"\(([^)]+)\)", label), re.sub(r"\([^)]*\)", "", label)]
                if len(spec.rows) == 1:
                    variants.append(_caption_words(spec.caption))
                self.rows.append(((spec.id, row_id), variants))
            if spec.total_row and len(spec.rows) > 1:
                self.rows.append(((spec.id, "total"), [spec.total_label]))
        self.rows.append(((RATE, RATE), list(_RATE_LABELS)))
        # Charts of the figures over the years, and notes under tables, as a built report prints them.
        self.charts = [spec.chart.title for spec in edition.tables if spec.chart]
        self.notes = [frozenset(words(spec.notes)) for spec in edition.tables if spec.notes]
        self.in_chart = False
        vocabulary = " ".join([t.caption for t in edition.tables] + [l for t in edition.tables for _, l in (*t.rows, *t.columns, *t.groups)]
                              + list(_RATE_LABELS) + ["Figures over the years", "Measure Number Level Category Total registered sex offenders violent other dangerous imposed courts"])
        self.vocabulary = frozenset(words(vocabulary))
        self.found = Found()
        self.table: TableSpec | None = None
        self.group: str | None = None
        self.pending: list[Line] = []
        self.open: _Open | None = None
        self.used: set[int] = set()
        self.in_note = False

    # -- labels ---------------------------------------------------------------------------
    def grid_row(self, text: str) -> tuple[str, str] | None:
        """(row id, rest of the line) when ``text`` starts with a grid row label."""
        labels = {label: row_id for spec in self.grids for row_id, label in spec.rows}
        labels["Total"] = "total"
        for label, row_id in labels.items():
            pattern = r"\s*".join(re.escape(w) for w in label.split())
            match = re.match(rf"(?i){pattern}(?![A-Za-z0-9])", text)
            if match:
                return row_id, text[match.end():]
        return None

    def caption(self, text: str) -> TableSpec | None:
        """The table whose caption this line is: a grid, or a list of figures whose rows are
        named like a grid's ("Level 1", as Serious Further Offences are)."""
        plain = _caption_words(text)
        if not words(plain):
            return None
        tables = self.grids + [t for t in self.edition.tables if t.kind == "figures" and self._level_rows(t)]
        scored = sorted(((dice(plain, _caption_words(spec.caption)), i) for i, spec in enumerate(tables)), reverse=True)
        if scored and scored[0][0] >= _MATCH and (len(scored) == 1 or scored[0][0] > scored[1][0]):
            return tables[scored[0][1]]
        return None

    def _level_rows(self, spec: TableSpec) -> bool:
        return any(self.grid_row(label) for _, label in spec.rows)

    def group_label(self, text: str) -> tuple[TableSpec, str] | None:
        """The group a line such as "Breach of licence" starts. The label's first word must be
        there ("SOPOs" is an order, not "Breach of SOPO"); between equally close groups, the
        first one not yet read ("Breach of SOPO" printed where the edition says SHPO)."""
        best: tuple[float, int, tuple[TableSpec, str] | None] = (0.0, 0, None)
        present = set(words(text))
        for spec in self.grids:
            for group_id, label in spec.groups:
                head = words(label)[:1]
                if not head or head[0] not in present:
                    continue
                unread = not any(k[0] == spec.id and k[1] == group_id for k in self.found.grids)
                score = (round(dice(text, label), 2), int(unread), (spec, group_id))
                if score[:2] > best[:2]:
                    best = score
        return best[2] if best[0] >= 0.5 else None

    def figure_row(self, label: str) -> tuple[str, str] | None:
        scored = []
        for key, variants in self.rows:
            if key in self.found.figures or (key[0] == RATE and self.found.rate):
                continue
            scored.append((max(dice(label, v) for v in variants), key))
        scored.sort(reverse=True)
        if scored and scored[0][0] >= _MATCH and (len(scored) == 1 or scored[0][0] > scored[1][0]):
            return scored[0][1]
        return None

    # -- reading --------------------------------------------------------------------------
    def read(self, lines: list[Line]) -> Found:
        for line in lines:
            if not line.text:
                self.in_note = False
            elif self.in_note and not any(cell(t) is not None for t in line.text.split()[-1:]):
                self.population_note(line)
            else:
                self.line(line)
        self.close()
        for line in lines:
            if line.text and line.number not in self.used:
                if self.is_heading_noise(line.text):
                    continue
                self.found.unplaced.append(line)
        return self.found

    def is_heading_noise(self, text: str) -> bool:
        found = words(_caption_words(text))
        return not found or sum(w in self.vocabulary for w in found) >= 0.8 * len(found)

    def chart(self, line: Line) -> bool:
        """A chart of earlier years' figures (as mappa prints under its tables): left out, since
        each year's figures belong to that year's report. True while inside one."""
        plain = _caption_words(line.text)
        as_chart = max((dice(plain, title) for title in self.charts), default=0.0) if words(plain) else 0.0
        as_caption = max((dice(plain, _caption_words(t.caption)) for t in self.edition.tables), default=0.0)
        over_years = bool(re.search(r"\b\d{4}-\d{2} to \d{4}-\d{2}\b", line.text))
        year_row = bool(re.match(r"^(?:19|20)\d{2}-\d{2}\s+\d", line.text))  # a row of a chart's table: one year's figures
        if year_row and not self.in_chart:
            self.found.notes.append((line.number, "left out figures of other years (a chart's table): each year's figures belong to that year's report"))
            self.in_chart = True
        elif as_chart >= _MATCH and (as_chart > as_caption + 0.1 or over_years):
            if not self.in_chart or over_years:
                self.found.notes.append((line.number, f'left out a chart of the figures over the years ("{line.text[:50]}"): '
                                                      "each year's figures belong to that year's report"))
            self.in_chart = True
        elif self.in_chart and (self.caption(line.text) or self.group_label(line.text) or self.figure_row(line.text)):
            self.in_chart = False
        if self.in_chart:
            self.used.add(line.number)
        return self.in_chart

    def line(self, line: Line) -> None:
        if self.chart(line):
            return
        if self.notes and any(len(ws := set(words(line.text))) and sum(w in n for w in ws) >= 0.8 * len(ws) for n in self.notes):
            self.used.add(line.number)  # the edition's note under a table
            return
        text = line.text
        tokens = text.split()
        cells = [cell(t) for t in tokens]
        if self.open and all(c is not None for c in cells):
            self.open.cells.extend(cells)
            self.used.add(line.number)
            if len(self.open.cells) >= self.open.width and _adds_up(self.open.cells) or len(self.open.cells) > self.open.width + 2:
                self.close()
            return
        self.close()
        row = self.grid_row(text)
        if row is not None:
            rest = [cell(t) for t in row[1].split()]
            if all(c is not None for c in rest):
                if self.table is not None and self.table.kind == "figures":
                    self.level_figure(row[0], rest, line)
                else:
                    self.start_grid_row(row[0], rest, line)
                return
        spec = self.caption(text)
        if spec is not None:
            self.table, self.group = spec, None
            self.used.add(line.number)
            self.pending = []
            return
        trailing: list[Cell] = []
        while tokens and cell(tokens[-1]) is not None:
            trailing.insert(0, cell(tokens.pop()))
        label = " ".join(tokens)
        if not trailing:
            group = self.group_label(text)
            if group is not None and len(words(text)) <= 6:
                self.table, self.group = group
                self.used.add(line.number)
                return
            if re.search(r"population", text, re.I) and re.search(r"estimate|calculated", text, re.I):
                self.population_note(line)
                return
            self.pending = (self.pending + [line])[-3:]
            return
        candidates: list[tuple[str, list[Line]]] = [(label, [])] if label else []
        for back in (1, 2):
            if len(self.pending) >= back:
                earlier = self.pending[-back:]
                candidates.append((" ".join([p.text for p in earlier] + [label]).strip(), earlier))
        for candidate, earlier in candidates:
            key = self.figure_row(candidate)
            if key is None:
                continue
            self.place_figure(key, trailing, line)
            self.used.update([line.number] + [p.number for p in earlier])
            self.pending = []
            return
        self.found.notes.append((line.number, f'figures {" ".join(map(str, trailing))} after "{label[:60]}" do not belong to any table of this edition'))

    def level_figure(self, row_id: str, cells: list[Cell], line: Line) -> None:
        """A row of a figures table named like a grid row (its total as ``total``)."""
        spec = self.table
        if row_id != "total" and row_id not in spec.row_ids() or not cells:
            self.found.notes.append((line.number, f'a row "{line.text[:40]}" that belongs to no table'))
            return
        self.used.add(line.number)
        self.place_figure((spec.id, row_id), cells, line)

    def population_note(self, line: Line) -> None:
        self.in_note = True
        self.used.add(line.number)
        self.found.estimate = (line.text, line.number) if not self.found.estimate else (self.found.estimate[0] + " " + line.text, self.found.estimate[1])

    def start_grid_row(self, row_id: str, cells: list[Cell], line: Line) -> None:
        spec, group = self.table, self.group
        if spec is None or (spec.id, group, row_id) in self.found.grids or (row_id != "total" and row_id not in spec.row_ids()):
            # No caption seen (or this row is already filled): the next grid still missing it.
            spec = next((s for s in self.grids if (row_id == "total" or row_id in s.row_ids()) and not s.groups
                         and (s.id, None, row_id) not in self.found.grids), None)
            group = None
            if spec is None:
                self.found.notes.append((line.number, f'a row "{line.text[:40]}" that belongs to no table'))
                return
            self.table, self.group = spec, None
        if spec.groups and group is None:
            group = next((g for g, _ in spec.groups if (spec.id, g, row_id) not in self.found.grids), spec.groups[0][0])
            self.group = group
        self.used.add(line.number)
        self.open = _Open((spec.id, group, row_id), list(cells), line.number, len(spec.columns) + 1)
        if len(cells) >= self.open.width and _adds_up(cells) or len(cells) > self.open.width:
            self.close()  # else the row may go on: one number a line, or a number broken in two

    def close(self) -> None:
        if self.open is None:
            return
        open_, self.open = self.open, None
        cells, width = open_.cells, open_.width
        if len(cells) > width:
            joined = _join_split_numbers(cells, width)
            if joined is None:
                self.found.notes.append((open_.line, f"{len(cells)} figures where {width} were expected: {' '.join(map(str, cells))}"))
                cells = cells[:width]
            else:
                self.found.notes.append((open_.line, f"numbers broken across lines were joined: {' '.join(map(str, joined))}"))
                cells = joined
        if len(cells) < width - 1:
            self.found.notes.append((open_.line, f"only {len(cells)} of {width} figures found for this row"))
        self.found.grids[open_.key] = (cells, open_.line)

    def place_figure(self, key: tuple[str, str], cells: list[Cell], line: Line) -> None:
        value = cells[-1]
        if len(cells) > 1:
            self.found.notes.append((line.number, f"{len(cells)} figures after one label: the last, {value}, is kept"))
        if key[0] == RATE:
            if isinstance(value, int):
                self.found.rate = (value, line.number)
            return
        self.found.figures[key] = (value, line.number)


def _adds_up(cells: list[Cell]) -> bool:
    counts = [c for c in cells[:-1] if isinstance(c, int)]
    return not counts if cells[-1] == "-" else sum(counts) == cells[-1]


def _join_split_numbers(cells: list[Cell], width: int) -> list[Cell] | None:
    """Rejoin numbers a line end broke ("1 073" or "10" + "73"): the one way of joining
    neighbouring pieces into ``width`` figures whose row total adds up, if there is exactly one."""
    if any(not isinstance(c, int) for c in cells) or len(cells) > width + 4:
        return None
    answers = []
    for cuts in itertools.combinations(range(1, len(cells)), width - 1):
        bounds = (0, *cuts, len(cells))
        joined = [int("".join(str(c) for c in cells[a:b])) for a, b in zip(bounds, bounds[1:])]
        if sum(joined[:-1]) == joined[-1]:
            answers.append(joined)
    return answers[0] if len(answers) == 1 else None


def missing(found: Found, edition: Edition) -> list[str]:
    """The figures of ``edition`` that were not found, as addresses like ``custody.breach_of_order.level_2``."""
    out = []
    for spec in edition.tables:
        if spec.kind == "figures":
            out += [f"{spec.id}.{r}" for r in spec.row_ids() if (spec.id, r) not in found.figures]
            continue
        for group in [g for g, _ in spec.groups] or [None]:
            out += [".".join(p for p in (spec.id, group, r) if p) for r in spec.row_ids() if (spec.id, group, r) not in found.grids]
    return out


def read_tables(lines: list[Line], edition: Edition) -> Found:
    found = _Reader(edition).read(lines)
    if found.estimate:
        text = found.estimate[0]
        count = re.search(r"population of ([\d,]+)", text)
        if count:
            found.population = (int(count.group(1).replace(",", "")), found.estimate[1])
    return found
