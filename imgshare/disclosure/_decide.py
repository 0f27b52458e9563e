"""The choice of what to withhold: primary, then secondary cells until no small count is pinned.

:func:`decide` withholds every printed count of 1..K-1 (primary), then repeatedly bounds every
node as a reader of all outputs could (:class:`~._graph.Propagator`, then exactly by integer
programming, :mod:`._exact`) and withholds further printed counts (secondary) until no count of
1..K-1 is pinned to a single value; last, it prints again every further count that the others
protect without it. Pure data in, data out.
"""

from __future__ import annotations

from collections.abc import Hashable

from ._graph import OPEN, SMALL, WITHHELD, Graph, Propagator, sensitive

__all__ = ["decide"]

Key = Hashable


def _robust_zeros(graph: Graph) -> set[Key]:
    """Nodes forced to zero by printed zeros alone (zeros are never withheld): constants for good."""
    fake = {key: WITHHELD for key, node in graph.nodes.items() if node.printed and node.value != 0}
    prop = Propagator(graph, fake, 2)
    return {key for key in graph.nodes if prop.hi[key] == 0}


def _explain(prop: Propagator, key: Key, zeros: set[Key]) -> list[Key]:
    """The printed counts worth withholding to unpin ``key``: those in identities whose other
    members are all known, followed through members known only by such identities; a count that
    other printed counts would give straight back is no use and is left out."""
    graph, withheld = prop.graph, prop.withheld
    found, seen, stack = [], {key}, [key]

    def known(o) -> bool:
        return o in zeros or (o not in seen and prop.fixed(o))

    while stack:
        x = stack.pop()
        for r in prop.touching.get(x, ()):
            others = [o for o in graph.relations[r].keys() if o != x]
            if not all(known(o) for o in others):
                continue
            for o in others:
                node = graph.nodes[o]
                if o in zeros or o in seen:
                    continue
                if node.printed and o not in withheld:
                    if (node.value > 0 or not node.count) and o not in found:
                        found.append(o)
                else:
                    seen.add(o)
                    stack.append(o)
    if not found:  # pinned by bounds from several identities: any printed count beside it
        for r in prop.touching.get(key, ()):
            for o in graph.relations[r].keys():
                node = graph.nodes[o]
                if node.printed and o not in withheld and node.count and node.value > 0 and o not in found:
                    found.append(o)
    return [o for o in found if not _given_back(prop, o, zeros)] or found


def _given_back(prop: Propagator, key: Key, zeros: set[Key]) -> bool:
    """Whether an identity holds ``key`` with only printed counts and zeros beside it."""
    for r in prop.touching.get(key, ()):
        others = [o for o in prop.graph.relations[r].keys() if o != key]
        if all(o in zeros or not prop.unknown(o) for o in others):
            return True
    return False


def _close(graph: Graph, withheld: dict[Key, str]) -> list[Key]:
    """Withhold everything linked to a withheld node (zeros stay printed: they reveal no one)."""
    added, stack = [], list(withheld)
    while stack:
        key = stack.pop()
        for other in graph.links.get(key, ()):
            node = graph.nodes[other]
            if other not in withheld and node.printed and not (node.count and node.value == 0):
                withheld[other] = WITHHELD
                added.append(other)
                stack.append(other)
    return added


def _open_small_totals(graph: Graph, withheld: dict[Key, str]) -> None:
    """A distribution whose total is small is withheld whole, zeros included: else its cells,
    each at least 1 and together at most K-1, could be counted off one by one."""
    for rel in graph.relations:
        if withheld.get(rel.total) != SMALL or not all(graph.nodes[t].printed for _, t in rel.terms) \
                or sum(graph.nodes[t].value > 0 for _, t in rel.terms) < 2:
            continue  # one non-zero cell beside printed zeros is the total itself: "<K" says no more
        for _, term in rel.terms:
            node = graph.nodes[term]
            if node.printed and node.count:
                withheld[term] = OPEN


def _cost(graph: Graph, key: Key) -> tuple:
    node = graph.nodes[key]
    # A derived summary (a domain mean) goes before the counts it is computed from.
    return (node.rank, node.value if node.count else -1.0, str(key))


def decide(graph: Graph, k: int, max_rounds: int = 5000, exact: bool = True) -> dict[Key, str]:
    """Which printed nodes to withhold under ``--min-cell k``: ``{key: SMALL | WITHHELD | OPEN}``.

    Primary: every printed count of 1..K-1. Then, while interval propagation pins some count of
    1..K-1, withhold the cheapest printed count that pins it (ordinary cells before subtotals
    before the questionnaire totals, smaller before larger) and everything linked to it. Then
    (``exact``) check each small count by integer programming over all identities at once
    (:mod:`._exact`) and, where it is still pinned, withhold the cheapest printed count beside
    it that unpins it; repeat until nothing is pinned.
    """
    withheld: dict[Key, str] = {}
    if k <= 1:
        return withheld
    for key, node in graph.nodes.items():
        if node.printed and node.count and 0 < node.value < k:
            withheld[key] = SMALL
    _open_small_totals(graph, withheld)
    _close(graph, withheld)
    zeros = _robust_zeros(graph)
    prop = Propagator(graph, withheld, k)
    watch = sensitive(graph, withheld, k)
    chosen: list[Key] = []

    def withhold(key: Key) -> None:
        withheld[key] = WITHHELD
        chosen.append(key)
        prop.update([key, *_close(graph, withheld)])

    def settle() -> None:
        for _ in range(max_rounds):
            bad = [key for key in watch if prop.fixed(key)]
            if not bad:
                return
            options = _explain(prop, bad[0], zeros)
            if not options:
                raise RuntimeError(f"disclosure control could not protect {bad[0]!r}")
            withhold(min(options, key=lambda o: _cost(graph, o)))
        raise RuntimeError("disclosure control did not settle")

    def repair() -> None:
        for _ in range(max_rounds):
            settle()
            best = _exact_repair(graph, withheld, k, prop, watch, zeros) if exact else None
            if best is None:
                return
            withhold(best)
        raise RuntimeError("disclosure control did not settle")

    repair()
    return _prune(graph, withheld, chosen, prop, watch, k if exact else 0)


def _exact_repair(graph: Graph, withheld: dict, k: int, prop: Propagator, watch, zeros) -> Key | None:
    """The printed count to withhold next so that a count pinned only by combining identities is
    no longer pinned; None when no small count is pinned."""
    from ._exact import Exact

    exact = Exact(graph, withheld, k, prop.touching)

    def usable(o) -> bool:
        node = graph.nodes[o]
        return node.printed and o not in withheld and o not in zeros and (node.value > 0 or not node.count)

    for key in exact.pinned_among(watch):
        nodes, rels = exact.component(key)
        # The printed counts in the identities that bind it first, then any beside it.
        binding = {o for r in exact.binding(key) for o in graph.relations[r].keys() if usable(o)}
        beside = {o for r in rels for o in graph.relations[r].keys() if usable(o)} - binding
        options = sorted(binding, key=lambda o: _cost(graph, o)) + sorted(beside, key=lambda o: _cost(graph, o))
        for option in options[:40]:
            withheld[option] = WITHHELD
            linked = _close(graph, withheld)
            ok = not exact.pinned(key)
            for o in (option, *linked):
                del withheld[o]
            if ok:
                return option
        if options:
            return options[0]
        raise RuntimeError(f"disclosure control could not protect {key!r}")
    return None


def _prune(graph: Graph, withheld: dict[Key, str], chosen: list[Key], prop: Propagator, watch,
           exact_k: int = 0) -> dict[Key, str]:
    """Print again each further count, dearest first, that the others now protect without it.

    A count withheld early may have become unnecessary once later choices cut the same chain;
    counts withheld because another is (links) stay withheld.
    """
    forced = {o for key in withheld for o in graph.links.get(key, ())}
    for key in sorted(chosen, key=lambda o: _cost(graph, o), reverse=True):
        if key in forced:
            continue
        del withheld[key]
        freed = [key]
        for other in graph.links.get(key, ()):
            if withheld.get(other) == WITHHELD and other not in chosen and not any(
                    other in graph.links.get(w, ()) for w in withheld if w != key):
                del withheld[other]
                freed.append(other)
        prop.update(freed)
        if any(prop.fixed(w) for w in watch) or (exact_k and _exactly_pinned(graph, withheld, exact_k, prop, freed,
                                                                              watch)):
            for other in freed:
                withheld[other] = WITHHELD
            prop.update(freed)
    return withheld


def _exactly_pinned(graph: Graph, withheld: dict, k: int, prop: Propagator, freed, watch) -> bool:
    """Whether a small count near the freed nodes is pinned once identities are combined."""
    from ._exact import Exact

    exact = Exact(graph, withheld, k, prop.touching)
    near = {n for f in freed for n in exact.component(f)[0]}
    near |= {o for f in freed for r in prop.touching.get(f, ()) for o in graph.relations[r].keys()}
    return bool(exact.pinned_among([w for w in watch if w in near]))


