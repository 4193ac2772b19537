"""The registry of violation detectors (DESIGN.md, "Findings and enforcement").

Each chapter declares, in its own ``detectors.py``, one ``Detector`` per rule it can check and registers
it from its ``AppConfig.ready()``. ``enforcement`` reads this registry and records one open finding per
rule and object; it imports no chapter's models, and no chapter imports ``enforcement``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Detector:
    """One rule: which article it breaches, which article sanctions it, and how to find offenders.

    ``offenders()`` returns a queryset (or iterable) of the objects currently in violation, bounded by an
    index; ``party(obj)`` the organization answerable for it; ``evidence(obj)`` a short text of the facts
    an official reads in the findings inbox (who, what, since when); ``url(obj)``, optional, the page of the
    offending object."""

    rule: str  # stable code, e.g. "art11-unqualified-contracting"
    title: str
    article_breached: str  # "11"
    sanctioning_article: str  # "43", "45(1)"
    offenders: Callable[[], Iterable[Any]]
    party: Callable[[Any], Any]
    evidence: Callable[[Any], str] = field(default=lambda obj: str(obj))
    # Optional: the page of the offending object, linked from the finding (staff pages only).
    url: Callable[[Any], str] | None = None


_registry: dict[str, Detector] = {}


def register(detector: Detector) -> Detector:
    """Add a detector; registering the same rule twice (e.g. a reloaded app) replaces it."""
    _registry[detector.rule] = detector
    return detector


def detectors() -> list[Detector]:
    """Every registered detector, in rule order (stable for the nightly run and the inbox filter)."""
    return [_registry[rule] for rule in sorted(_registry)]


def detector(rule: str) -> Detector:
    return _registry[rule]
