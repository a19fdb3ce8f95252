"""``make lint``'s import-cycle check: ``python -m ckanext.shanghai.stack.import_cycles``.

Fails (exit 1) on any cycle of imports among our packages, and prints each with the
file line of every import in it. The graph is grimp's (the engine of import-linter):
it reads every ``import`` statement, those inside functions included, since a
function-level import that dodges a cycle at start-up still ties the modules in a
knot. ``if TYPE_CHECKING:`` imports count too: a type checker follows them.
"""
from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterable

import grimp

#: Our top-level packages (``setup.py``'s), as grimp takes them; one that is not
#: installed (moved away) is left out.
PACKAGES = ("ckanext.shanghai", "harvesters", "catalog_seed", "bench")


def _knots(graph: grimp.ImportGraph) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's
    algorithm, iterative): each holds at least one cycle."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph.modules):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            module, imported = work[-1]
            for other in imported:
                if other not in index:
                    index[other] = low[other] = len(index)
                    stack.append(other)
                    on_stack.add(other)
                    work.append((other, iter(sorted(graph.find_modules_directly_imported_by(other)))))
                    break
                if other in on_stack:
                    low[module] = min(low[module], index[other])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[module])
                if low[module] == index[module]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == module:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return found


def _cycle(graph: grimp.ImportGraph, knot: Iterable[str]) -> list[str]:
    """One shortest cycle through the first module of ``knot``."""
    members = sorted(knot)
    start = members[0]
    best: tuple[str, ...] | None = None
    for module in graph.find_modules_that_directly_import(start):
        if module not in members:
            continue
        chain = graph.find_shortest_chain(importer=start, imported=module)
        if chain and (best is None or len(chain) < len(best)):
            best = chain
    assert best is not None
    return [*best, start]


def _describe(graph: grimp.ImportGraph, cycle: list[str]) -> list[str]:
    lines = [" -> ".join(cycle)]
    for importer, imported in zip(cycle, cycle[1:], strict=False):
        for detail in graph.get_import_details(importer=importer, imported=imported):
            lines.append(f"    {importer} line {detail['line_number']}: {detail['line_contents']}")
    return lines


def cycles(packages: Iterable[str] = PACKAGES) -> list[str]:
    """One report per knot of modules that import each other: its modules, then one
    shortest cycle through them with the line of each import."""
    graph = grimp.build_graph(*(name for name in packages if importlib.util.find_spec(name)),
                              cache_dir=None)
    return ["\n".join([f"Import cycle among {len(knot)} modules: {', '.join(knot)}",
                       *_describe(graph, _cycle(graph, knot))])
            for knot in _knots(graph)]


def main() -> int:
    found = cycles()
    for report in found:
        print(report)
    if found:
        print(f"{len(found)} import cycle(s) found; break each (a function-level import "
              "does not).", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
