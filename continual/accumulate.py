"""Where a routed ingest puts a corpus of a kind the store already knows: the user's choice, what the registry
remembers of each route, and the line and record of the decision.

The decision itself is the method's (:meth:`continual.methods.routed.Routed.decide`): a corpus whose n-gram
profile's bigram statistics are close to an existing route's continues that route. This module turns a
user's ``--new-route`` / ``--continue V`` (V: a version number) into the method's terms, tells each route which
corpora it has learnt (continued routes learnt several; their rehearsal reads them), and says and records
what was decided, on the version's ingest record (``settings["route"]``). No torch here: ``peer show`` and
``peer versions`` read decisions too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from peer_store.db import Store
from peer_store.errors import ConfigError

if TYPE_CHECKING:  # types only: `peer show` and `peer versions` read decisions without importing torch
    from continual.methods import RouteDecision
    from continual.routed import RoutedModel


def route_choice(store: Store, model: RoutedModel | None, *, new_route: bool, continue_version: int | None,
                 routes: bool) -> int | str:
    """``'auto'``, ``'new'`` or the index of the route to continue, from the ingest's options; one ConfigError
    line for an option that cannot apply (nothing is written before this)."""
    if new_route and continue_version is not None:
        raise ConfigError("pass --new-route or --continue V, not both")
    if not new_route and continue_version is None:
        return "auto"
    if not routes:
        raise ConfigError("--new-route and --continue apply to stores that grow by 'routed'; this one does not route")
    if model is None:
        raise ConfigError("the store has no version yet: its first corpus makes the first route; drop "
                          "--new-route/--continue")
    if new_route:
        return "new"
    owners = {route.learnt_by: r for r, route in enumerate(model.routes)}
    if continue_version in owners:
        return owners[continue_version]
    store.version(continue_version)  # a version that does not exist: the registry's own one-line error
    listed = ", ".join(str(v) for v in owners if v is not None)
    raise ConfigError(f"version {continue_version} has no route in the current version (its route was continued "
                      f"by a later version, or it made none); --continue takes one of: {listed}")


def attach_learnt_corpora(store: Store, model: RoutedModel) -> None:
    """Tell each route of a loaded version which corpora it has learnt, from its version's ingest record (a
    route made before routes merged learnt its own corpus only)."""
    for route in model.routes:
        if route.learnt_by is None:
            continue
        ingest = store.detail(route.learnt_by).ingest
        recorded = (ingest.settings.get("route") or {}).get("corpora") if ingest is not None else None
        if recorded:
            route.corpora = tuple(recorded)


def decision_record(decision: RouteDecision, owners: list[int | None], corpora: tuple[str, ...]) -> dict[str, Any]:
    """What the version's ingest record keeps of the decision (JSON, routes by the version that learnt them):
    ``owners`` are the parent's routes' versions, ``corpora`` what the trained route has learnt with this one."""
    return {
        "decision": "continue" if decision.continues else "new",
        "continues": owners[decision.route] if decision.continues else None,
        "chosen_by": decision.chosen_by,
        "divergence": {str(owners[r]): value for r, value in decision.divergence.items()},
        "corpora": list(corpora),
        "rehearse": list(decision.rehearse),
        "replay": decision.replay,
    }


def describe_decision(record: dict[str, Any], threshold: float | None) -> str:
    """One line: which route the corpus trains, and why."""
    apart = record["divergence"]
    nearest = min(apart.items(), key=lambda kv: kv[1]) if apart else None
    near = f"version {nearest[0]}'s route at divergence {nearest[1]:.3f}" if nearest else None
    rule = "" if threshold is None else f", merging at <= {threshold}"
    if record["decision"] == "continue":
        why = {"--continue": "as --continue asked",
               "profiles": f"divergence {apart.get(str(record['continues']), 0):.3f}{rule}"}
        rehearse = (f"; rehearsing {', '.join(record['rehearse'])} as {record['replay']:.0%} of the windows"
                    if record["rehearse"] and record["replay"] else "")
        return (f"route: continues version {record['continues']}'s route ({why[record['chosen_by']]}){rehearse}; "
                f"its tokens move to this version, version {record['continues']} stays for rollback")
    if record["chosen_by"] == "first":
        return "route: the store's first route"
    why = "as --new-route asked" if record["chosen_by"] == "--new-route" else f"nearest: {near}{rule}"
    return f"route: a new route ({why})"


__all__ = ["attach_learnt_corpora", "decision_record", "describe_decision", "route_choice"]
