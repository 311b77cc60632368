"""A plan file's YAML text as Python data, within limits that no real plan comes near.

PyYAML's SafeLoader alone takes a 5 KB "billion laughs" file (aliases of aliases) and expands it
for minutes and gigabytes, overflows the stack on YAML nested thousands deep (RecursionError) and
fails on integers of thousands of digits (ValueError). This loader counts nodes as it composes them,
an alias counting as the whole node it repeats, and refuses past `MAX_NODES`, past `MAX_DEPTH`
levels of nesting, or an integer longer than `MAX_INT_DIGITS`, with a YAML error at the place it
stopped. It also refuses a key written twice in a mapping, and keeps dates as text (the plan's own
parser gives an impossible date a Vietnamese reason).
"""

from typing import Any

import yaml

MAX_BYTES = 1_000_000  # the four seed plans are 4–9 KB
MAX_NODES = 20_000  # values, lists and mappings, aliases expanded; a seed plan has about 600
MAX_DEPTH = 32  # levels of nesting; a seed plan has 6
MAX_INT_DIGITS = 30


class LimitExceeded(yaml.MarkedYAMLError):
    """The text goes past one of the loader's limits; `problem` says which, in Vietnamese."""


class DuplicateKey(yaml.constructor.ConstructorError):
    """A key written twice in one mapping (PyYAML would silently keep the last)."""


class _PlanLoader(yaml.SafeLoader):
    """SafeLoader with limits on nodes, nesting and integer size, unique keys and dates kept as text."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._nodes, self._depth = 0, 0
        self._expanded: dict[int, int] = {}  # id(node) of an anchored node -> its node count, aliases expanded

    def _count(self, nodes: int, mark: yaml.Mark) -> None:
        self._nodes += nodes
        if self._nodes > MAX_NODES:
            problem = (f"tham chiếu (&neo, *bí danh) và dữ liệu mở rộng thành hơn {MAX_NODES:_} phần tử; một tệp kế hoạch "
                       "không cần nhiều như vậy (tệp “billion laughs”?)").replace("_", ".")  # fmt: skip
            raise LimitExceeded(problem=problem, problem_mark=mark)

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            node = super().compose_node(parent, index)
            self._count(self._expanded.get(id(node), 1), event.start_mark)
            return node
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise LimitExceeded(problem=f"dữ liệu lồng nhau quá {MAX_DEPTH} mức", problem_mark=event.start_mark)
            before = self._nodes
            self._count(1, event.start_mark)
            node = super().compose_node(parent, index)
        finally:
            self._depth -= 1
        self._expanded[id(node)] = self._nodes - before
        return node

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        if len(node.value) > MAX_INT_DIGITS:
            raise LimitExceeded(problem=f"số quá lớn (hơn {MAX_INT_DIGITS} chữ số)", problem_mark=node.start_mark)
        return int(super().construct_yaml_int(node))


def _unique_keys(loader: _PlanLoader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise DuplicateKey(None, None, f"khóa “{key}” bị lặp", key_node.start_mark)
        seen.add(key)
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


_PlanLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, lambda loader, node: _unique_keys(loader, node))
_PlanLoader.add_constructor("tag:yaml.org,2002:int", _PlanLoader.construct_yaml_int)
_PlanLoader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_yaml(text: str) -> Any:
    """The data of one YAML document; raises `yaml.YAMLError` (`LimitExceeded`, `DuplicateKey` among them)."""
    return yaml.load(text, Loader=_PlanLoader)  # noqa: S506  (a SafeLoader subclass)
