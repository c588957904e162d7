"""Safe YAML loading that remembers where every key and value came from.

PyYAML's ``SafeLoader`` composes a node graph whose nodes carry ``start_mark``; we turn that
graph into :class:`Node` objects (value + position) instead of plain Python values, so every
later check can say ``path:line:col``. Only safe scalar types are constructed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

from .problems import Position, Problems

# Aliases may point at the same node many times ("billion laughs"); each expansion costs one
# unit, so a hostile file stops here instead of eating memory.
_NODE_BUDGET = 20_000
_MAX_BYTES = 2_000_000
_SAFE_TAG_PREFIX = "tag:yaml.org,2002:"
_SAFE_TAGS = {"str", "int", "float", "bool", "null", "map", "seq", "timestamp"}
# PyYAML composes nested values recursively: thousands of "[" would end in RecursionError.
# Real content nests a handful of levels, so a deep file is refused at the place it gets too deep.
_MAX_DEPTH = 100


class _DepthLimitedLoader(yaml.SafeLoader):
    """SafeLoader that refuses values nested more than _MAX_DEPTH deep, with the position."""

    _depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        self._depth += 1
        try:
            if self._depth > _MAX_DEPTH:
                mark = self.peek_event().start_mark
                raise yaml.composer.ComposerError(None, None, f"values are nested more than {_MAX_DEPTH} levels deep", mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


@dataclass(frozen=True)
class Node:
    """A YAML value with its position.

    ``value`` is a ``dict[str, Node]`` for mappings, a ``list[Node]`` for sequences and a plain
    Python scalar (str, int, float, bool, None, date) otherwise. ``key_positions`` gives the
    position of each mapping key, so an unknown key can be pointed at exactly.
    """

    value: Any
    where: Position
    key_positions: dict[str, Position] | None = None

    @property
    def is_mapping(self) -> bool:
        return isinstance(self.value, dict)

    @property
    def is_sequence(self) -> bool:
        return isinstance(self.value, list)

    def get(self, key: str) -> "Node | None":
        return self.value.get(key) if self.is_mapping else None

    def key_at(self, key: str) -> Position:
        if self.key_positions and key in self.key_positions:
            return self.key_positions[key]
        return self.where

    def plain(self) -> Any:
        """The value as plain Python data (positions dropped)."""
        if self.is_mapping:
            return {k: v.plain() for k, v in self.value.items()}
        if self.is_sequence:
            return [v.plain() for v in self.value]
        return self.value


class _Budget(Exception):
    pass


def _position(path: str, mark: Any) -> Position:
    return Position(path, mark.line + 1, mark.column + 1)


class _Converter:
    def __init__(self, path: str, problems: Problems):
        self.path = path
        self.problems = problems
        self.budget = _NODE_BUDGET
        self.constructor = yaml.SafeLoader("")  # only used for its scalar constructors

    def convert(self, node: yaml.Node) -> Node:
        # The hot loop of loading an archive (one call per value of every report.yaml), so the
        # scalar constructors are called directly: PyYAML's construct_object bookkeeping (a cache
        # of every value made, recursion guards) cost more than the values themselves.
        self.budget -= 1
        if self.budget < 0:
            raise _Budget()
        mark = node.start_mark
        where = Position(self.path, mark.line + 1, mark.column + 1)
        tag = node.tag
        if tag not in _ALLOWED_TAGS:
            self.problems.add(where, f"YAML tag {tag} is not allowed: write plain values")
            return Node(None, where)
        if isinstance(node, yaml.MappingNode):
            values: dict[str, Node] = {}
            keys: dict[str, Position] = {}
            for key_node, value_node in node.value:
                key_where = _position(self.path, key_node.start_mark)
                if not isinstance(key_node, yaml.ScalarNode):
                    self.problems.add(key_where, "a key must be a plain word")
                    continue
                key = str(key_node.value)
                if _has_surrogate(key):
                    self.problems.add(key_where, _SURROGATE_MESSAGE)
                    continue
                if key == "<<":
                    self.problems.add(key_where, "merge keys (<<) are not supported: write the keys out")
                    continue
                if key in values:
                    first = keys[key]
                    self.problems.add(key_where, f'"{key}" is given twice (first on line {first.line})')
                    continue
                values[key] = self.convert(value_node)
                keys[key] = key_where
            return Node(values, where, keys)
        if isinstance(node, yaml.SequenceNode):
            return Node([self.convert(item) for item in node.value], where)
        text = node.value
        try:
            if tag == _STR:
                value = text
            elif tag in _SCALAR_TAGS:
                value = self.constructor.yaml_constructors[tag](self.constructor, node)
            else:  # !!map or !!seq on a single value (PyYAML's error for it differs between its parsers)
                self.problems.add(where, f"YAML tag {tag} cannot be put on a single value: write plain values")
                return Node(None, where)
        except (ValueError, OverflowError, KeyError, AttributeError):
            # Looks like a number or a date but is not one (5000 digits, 2025-02-30), or is tagged
            # as one (!!bool maybe, !!timestamp soon: PyYAML's constructors fail with KeyError and
            # AttributeError there): keep the author's text, so the check that wanted a number or
            # a date names it at its place.
            value = text
        if isinstance(value, str):
            if _has_surrogate(value):
                self.problems.add(where, _SURROGATE_MESSAGE)
                return Node(None, where)
        elif isinstance(value, bool) and text.lower() not in ("true", "false"):
            # YAML 1.1 reads yes/no/on/off as booleans; authors mean the words ("no" = Notification Order).
            value = text
        elif isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
            value = text  # .nan / .inf are not figures; keep the text so checks can name it
        return Node(value, where)


_ALLOWED_TAGS = frozenset(_SAFE_TAG_PREFIX + name for name in _SAFE_TAGS)
_STR = _SAFE_TAG_PREFIX + "str"
# Tags whose PyYAML constructor makes a value straight from a scalar (not a generator).
_SCALAR_TAGS = frozenset(_SAFE_TAG_PREFIX + name for name in ("int", "float", "bool", "null", "timestamp"))


# "\ud800" in a double-quoted string makes half a character, which no page or PDF can be written with.
_SURROGATE = re.compile("[\ud800-\udfff]")
_SURROGATE_MESSAGE = 'text has an escape for half a character (like "\\ud800"): write the character itself'


def _has_surrogate(text: str) -> bool:
    return _SURROGATE.search(text) is not None


def load_yaml(path: str, text: str, problems: Problems) -> Node | None:
    """Parse ``text`` (the contents of project-relative ``path``); report problems, never raise.

    Returns None when the file cannot be read as YAML at all.
    """
    if len(text) > _MAX_BYTES:
        problems.add(Position(path), f"file is too large ({len(text)} characters; the limit is {_MAX_BYTES})")
        return None
    try:
        root = _compose(text)
    except yaml.MarkedYAMLError as exc:
        mark, message = _syntax_problem(exc)
        where = _position(path, mark) if mark else Position(path)
        if exc.context == "while parsing a flow node" and "<stream end>" in (exc.problem or ""):
            where = _unclosed_bracket(path, text) or where
            message = "a [ or { opened here is never closed"
        problems.add(where, f"YAML syntax: {message}")
        return None
    except yaml.YAMLError as exc:
        problems.add(Position(path), f"YAML: {exc}")
        return None
    if root is None:
        return Node(None, Position(path))
    converter = _Converter(path, problems)
    try:
        return converter.convert(root)
    except _Budget:
        problems.add(Position(path), "file expands to too many values (are anchors and aliases nested?)")
        return None
    except (yaml.YAMLError, ValueError, OverflowError) as exc:
        problems.add(Position(path), f"YAML value cannot be read: {exc}")
        return None


# libyaml composes about ten times faster than the pure-Python parser (it is most of the load
# time of a national archive); the nodes and marks it gives are the same. Its error messages are
# worded differently, so a document it refuses is parsed again by the pure parser, whose message
# is the one authors see.
_FAST_LOADER = getattr(yaml, "CSafeLoader", None)


def _compose(text: str) -> yaml.Node | None:
    # libyaml recurses in C with no limit (a file of 100,000 "[" crashes the process), so it only
    # gets documents that provably nest less than _MAX_DEPTH; the rest go to the depth-limited
    # pure parser, which refuses them with a position.
    if _FAST_LOADER is not None and _nesting_bound(text) < _MAX_DEPTH:
        try:
            return yaml.compose(text, Loader=_FAST_LOADER)
        except yaml.YAMLError:
            pass
    return yaml.compose(text, Loader=_DepthLimitedLoader)


def _nesting_bound(text: str) -> int:
    """An upper bound on how deep values in ``text`` can nest, found without parsing.

    Each flow level needs a "[" or "{"; each block level needs more indentation or another
    "- " (or "? ") at the start of a line.
    """
    flow = text.count("[") + text.count("{")
    block = max((len(line) - len(line.lstrip(" -?")) for line in text.splitlines()), default=0)
    return flow + block + 1


def _unclosed_bracket(path: str, text: str) -> Position | None:
    """Where the last [ or { that is never closed is (outside quotes and comments)."""
    open_at: list[Position] = []
    for number, line in enumerate(text.split("\n"), start=1):
        quote = ""
        for index, char in enumerate(line):
            if quote:
                quote = "" if char == quote else quote
            elif char in "\"'":
                quote = char
            elif char == "#" and (index == 0 or line[index - 1] in " \t"):
                break
            elif char in "[{":
                open_at.append(Position(path, number, index + 1))
            elif char in "]}" and open_at:
                open_at.pop()
    return open_at[-1] if open_at else None


def _syntax_problem(exc: yaml.MarkedYAMLError) -> tuple[Any, str]:
    """Where the author's mistake is, and what it is in plain words.

    PyYAML notices many mistakes only on a later line (an unclosed quote at the end of the
    file, a missing colon at the next key); its ``context_mark`` is where the unfinished thing
    began, which is the line to fix.
    """
    context, problem = exc.context or "", exc.problem or ""
    started = exc.context_mark or exc.problem_mark
    if context == "while scanning a simple key":
        return started, "this line needs a colon and a space after its name, like `name: value`"
    if context == "while scanning a quoted scalar":
        return started, "a quotation mark opened here is never closed: add the closing quote at the end of the value"
    if context.startswith("while parsing a flow sequence"):
        return started, "a list opened here with [ is never closed with ]"
    if context.startswith("while parsing a flow mapping"):
        return started, "a { opened here is never closed with }"
    if "expected <block end>" in problem:
        return exc.problem_mark, "this line is indented differently from the lines above it: line up its spaces with the key it belongs to"
    if problem == "mapping values are not allowed here":
        return exc.problem_mark, ("a colon here cannot start a value: put text containing a colon in quotes, "
                                  "or indent the line under a key ending with a colon")
    if problem.startswith("sequence entries are not allowed here"):
        return exc.problem_mark, 'a line starting with "-" is a list item, not allowed here (to say "not applicable" write "-" in quotes, or inside a [list])'
    if "found character '\\t'" in problem:
        return exc.problem_mark, "a tab character: use spaces, not tabs, to indent"
    message = f"{context}: {problem}" if context and problem else problem or context or "not valid YAML"
    return exc.problem_mark or exc.context_mark, message
