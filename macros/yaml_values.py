"""YAML text -> plain Python values, with the line of every key and list item.

libyaml (PyYAML's C parser) composes the node graph; the values are built here, from the
nodes, so that the atlas decides what YAML may mean:

- scalars follow the YAML 1.2 core schema (``yes`` and ``2021-08-27`` are text, ``1e3`` a number);
- mapping keys are text as written, so ``1`` and ``"1"`` are the same key, and a key twice is an error;
- only the standard tags of plain values, lists and mappings are accepted (no ``!!set``,
  ``!!binary``, ``!!timestamp`` or custom tags), and merge keys (``<<``) are refused;
- aliases are expanded under a budget (an alias bomb is an error, not a hang), and nesting
  and recursive aliases are bounded.

Problems raise ``YamlProblem`` with the 1-based line where they start.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

MAX_VALUES = 50_000  # values in one file after aliases are expanded
MAX_DEPTH = 20       # lists and mappings inside each other

_PLAIN = "tag:atlas:plain"  # a plain scalar with no tag: resolved here, not by PyYAML
_STD = "tag:yaml.org,2002:"
_NULL_RE = re.compile(r"~|null|Null|NULL|")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT_RE = re.compile(r"[-+]?[0-9]+")
_OCT_RE = re.compile(r"0o[0-7]+")
_HEX_RE = re.compile(r"0x[0-9a-fA-F]+")
_FLOAT_RE = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_SPECIAL_FLOATS = {".inf": math.inf, ".Inf": math.inf, ".INF": math.inf, "+.inf": math.inf, "+.Inf": math.inf,
                   "+.INF": math.inf, "-.inf": -math.inf, "-.Inf": -math.inf, "-.INF": -math.inf,
                   ".nan": math.nan, ".NaN": math.nan, ".NAN": math.nan}
_MAX_DIGITS = 4000  # longer digit strings stay text (Python refuses to convert them); the model bounds numbers


class YamlProblem(Exception):
    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


class _Loader(yaml.CSafeLoader):
    """libyaml's parser and composer, with PyYAML's implicit typing switched off."""

    def resolve(self, kind, value, implicit):
        if kind is yaml.ScalarNode and implicit[0]:
            return _PLAIN
        return super().resolve(kind, value, implicit)


@dataclass
class Parsed:
    value: Any
    # (key or index, ...) -> 1-based line of that key or list item; () -> line of the top node.
    lines: dict[tuple, int] = field(default_factory=dict)


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _tag_name(tag: str) -> str:
    return "!!" + tag[len(_STD):] if tag.startswith(_STD) else tag


def parse_yaml(text: str) -> Parsed:
    """The one document in ``text`` as plain values and lines; raises YamlProblem."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        raise YamlProblem(*_error_position(exc)) from None
    except yaml.YAMLError as exc:  # unmarked errors (rare): keep the parser's words
        raise YamlProblem(1, "YAML does not parse: " + " ".join(str(exc).split())) from None
    except UnicodeEncodeError as exc:  # a lone surrogate: only possible in text that was not read from UTF-8
        raise YamlProblem(text.count("\n", 0, exc.start) + 1, f"character U+{ord(text[exc.start]):04X} cannot be encoded") from None
    parsed = Parsed(None)
    if node is None:
        return parsed
    builder = _Builder(parsed.lines)
    parsed.lines[()] = _line(node)
    parsed.value = builder.build(node, (), 0)
    return parsed


def _error_position(exc: yaml.MarkedYAMLError) -> tuple[int, str]:
    """The line where the problem starts and the parser's own words (context and problem).

    An unclosed quote, bracket or brace is reported where it was opened (the context mark);
    a problem inside a block mapping or list at the line the parser stopped (the problem mark),
    since the context there is the whole enclosing block.
    """
    context = " ".join(str(exc.context or "").split())
    problem = " ".join(str(exc.problem or "").split())
    cmark, pmark = exc.context_mark, exc.problem_mark
    starts_at_context = cmark is not None and (context.startswith("while scanning") or "flow" in context)
    mark = cmark if starts_at_context or pmark is None else pmark
    line = mark.line + 1 if mark is not None else 1
    words = []
    for text, m in ((context, cmark), (problem, pmark)):
        if text:
            words.append(text if m is None or m.line + 1 == line else f"{text} (line {m.line + 1})")
    return line, "YAML does not parse: " + (": ".join(words) or "syntax error")


class _Builder:
    def __init__(self, lines: dict[tuple, int]):
        self.lines = lines
        self.count = 0
        self.active: set[int] = set()

    def build(self, node: yaml.Node, loc: tuple, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_VALUES:
            raise YamlProblem(_line(node), f"more than {MAX_VALUES:,} values once aliases are expanded (an alias bomb?)")
        if isinstance(node, yaml.ScalarNode):
            return _scalar(node)
        if depth >= MAX_DEPTH:
            raise YamlProblem(_line(node), f"lists and mappings nested more than {MAX_DEPTH} levels deep")
        if id(node) in self.active:
            raise YamlProblem(_line(node), "an alias refers to a list or mapping that contains it")
        self.active.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode):
                if node.tag != _STD + "seq":
                    raise YamlProblem(_line(node), f"YAML tag {_tag_name(node.tag)} is not accepted (only plain values, lists and mappings)")
                out = []
                for i, item in enumerate(node.value):
                    self.lines[loc + (i,)] = _line(item)
                    out.append(self.build(item, loc + (i,), depth + 1))
                return out
            if node.tag != _STD + "map":
                raise YamlProblem(_line(node), f"YAML tag {_tag_name(node.tag)} is not accepted (only plain values, lists and mappings)")
            mapping: dict[str, Any] = {}
            for key_node, value_node in node.value:
                key = _key(key_node)
                if key in mapping:
                    raise YamlProblem(_line(key_node), f"duplicate key {key!r} (first at line {self.lines[loc + (key,)]})")
                self.lines[loc + (key,)] = _line(key_node)
                mapping[key] = self.build(value_node, loc + (key,), depth + 1)
            return mapping
        finally:
            self.active.discard(id(node))


def _key(node: yaml.Node) -> str:
    if not isinstance(node, yaml.ScalarNode):
        raise YamlProblem(_line(node), "a key is a single value, not a list or mapping")
    if node.tag == _PLAIN and node.value == "<<":
        raise YamlProblem(_line(node), "YAML merge keys (<<) are not accepted: write the fields out")
    if node.tag not in (_PLAIN, _STD + "str"):
        raise YamlProblem(_line(node), f"YAML tag {_tag_name(node.tag)} is not accepted on a key")
    return node.value


def _scalar(node: yaml.ScalarNode) -> Any:
    value, tag = node.value, node.tag
    if tag == _PLAIN:
        return _plain_scalar(node)
    if tag == _STD + "str":
        return value
    typed = _plain_scalar(node) if tag in (_STD + "int", _STD + "float", _STD + "bool", _STD + "null") else _NOT_A
    expected = {_STD + "int": int, _STD + "float": float, _STD + "bool": bool, _STD + "null": type(None)}.get(tag)
    if expected is None:
        raise YamlProblem(_line(node), f"YAML tag {_tag_name(tag)} is not accepted (only plain values, lists and mappings)")
    if expected is float and type(typed) is int:
        typed = float(typed)
    if type(typed) is not expected:
        raise YamlProblem(_line(node), f"{value!r} is not a value of its tag {_tag_name(tag)}")
    return typed


_NOT_A = object()


def _plain_scalar(node: yaml.ScalarNode) -> Any:
    """A plain scalar by the YAML 1.2 core schema: null, bool, int, float, or text."""
    v = node.value
    if _NULL_RE.fullmatch(v):
        return None
    if v in _BOOL:
        return _BOOL[v]
    if _INT_RE.fullmatch(v) or _OCT_RE.fullmatch(v) or _HEX_RE.fullmatch(v):
        if len(v) > _MAX_DIGITS:
            return v
        if v.startswith("0o"):
            return int(v[2:], 8)
        if v.startswith("0x"):
            return int(v[2:], 16)
        return int(v)
    if v in _SPECIAL_FLOATS:
        return _SPECIAL_FLOATS[v]
    if _FLOAT_RE.fullmatch(v):
        return float(v)
    return v
