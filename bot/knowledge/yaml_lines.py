"""Parse one YAML document and remember the line every value starts on.

Validation errors must name file, line and field; PyYAML's composed node tree carries the marks,
so we compose once, construct the plain data from the same nodes, and walk them for a
path -> line table. Anchors and aliases are refused: knowledge files never need them, and they
are how "billion laughs" YAML bombs blow up.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml

Path = tuple[str | int, ...]

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_DEPTH = 32  # an entry's deepest field (citations[0].quote) is 4 levels down


class YamlProblem(ValueError):
    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.line = line


@dataclass(frozen=True)
class ParsedYaml:
    data: object
    lines: dict[Path, int] = field(default_factory=dict)

    def line_of(self, path: Path) -> int | None:
        """The line of the deepest known prefix of ``path`` (1-based)."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(path[:end])
            if line is not None:
                return line
        return None


def parse_yaml(text: str, *, max_nodes: int = 200_000, max_depth: int = MAX_DEPTH) -> ParsedYaml:
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        lines: dict[Path, int] = {}
        if node is not None:
            _walk(node, lines, max_nodes, max_depth)
        data = _construct(loader, node) if node is not None else None
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        message = " ".join(part for part in (err.context, err.problem) if part) or "invalid YAML"
        raise YamlProblem(f"invalid YAML: {message}", mark.line + 1 if mark else None) from None
    except yaml.YAMLError as err:
        raise YamlProblem(f"invalid YAML: {err}", None) from None
    finally:
        loader.dispose()
    return ParsedYaml(data, lines)


def _construct(loader: yaml.SafeLoader, node: yaml.Node) -> object:
    try:
        return loader.construct_document(node)
    except (ValueError, TypeError, KeyError, AttributeError, OverflowError) as err:
        # PyYAML's constructors fail plainly on values that look typed but are not: an unquoted
        # ``date: 2024-02-30`` resolves as a timestamp, ``!!int 0x`` as a number.
        bad = _unreadable(loader, node)
        if bad is None:
            raise YamlProblem(f"invalid YAML: a value cannot be read ({err})", None) from None
        kind = bad.tag.rsplit(":", 1)[-1]
        why = f" ({err})" if isinstance(err, ValueError) else ""
        raise YamlProblem(
            f"invalid YAML: {bad.value!r} cannot be read as a {kind}{why}; quote it if it is text",
            bad.start_mark.line + 1,
        ) from None


def _unreadable(loader: yaml.SafeLoader, root: yaml.Node) -> yaml.ScalarNode | None:
    """The first scalar (in file order) that PyYAML cannot construct."""
    loader.constructed_objects, loader.recursive_objects = {}, {}
    stack, seen = [root], set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            try:
                loader.construct_object(node)
            except Exception:
                return node
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(reversed(node.value))
        elif isinstance(node, yaml.MappingNode):
            stack.extend(reversed([child for pair in node.value for child in pair]))
    return None


def _walk(root: yaml.Node, lines: dict[Path, int], max_nodes: int, max_depth: int) -> None:
    """Fill the path -> line table; refuse aliases, too many nodes and nesting deeper than ``max_depth``.

    Iterative, so no nesting libyaml accepts (up to 1,000 levels of block and of flow) reaches
    Python's recursion limit.
    """
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, Path]] = [(root, ())]
    while stack:
        node, path = stack.pop()
        if id(node) in seen:
            raise YamlProblem(
                "anchors and aliases (&name / *name) are not allowed in knowledge files", node.start_mark.line + 1
            )
        seen.add(id(node))
        if len(seen) > max_nodes:
            raise YamlProblem(f"file has more than {max_nodes} YAML nodes", node.start_mark.line + 1)
        if len(path) > max_depth:
            raise YamlProblem(f"values are nested more than {max_depth} levels deep", node.start_mark.line + 1)
        lines[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in reversed(node.value):
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.start_mark.line)
                stack.append((value_node, (*path, key)))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, (*path, index)) for index, item in reversed(list(enumerate(node.value))))
