"""What every workflow of the portal shares, so each chapter writes only its own law.

- ``Refused``: the object's state (or a rule about it) does not allow the action now. Pages answer 409
  with the message; the API answers 409 problem+json whose body carries ``code`` for clients.
  Input the law rejects is a Django ``ValidationError`` raised with a ``code`` (field-level where a
  field is to blame); the API carries each code in ``invalid_params``.
- ``ensure_transition`` and ``lock``: the two steps every transition service begins with.
- ``ActionTable``: one declaration per transition (label, the service it calls, the API input
  serializer, the page form, the confirmation text), dispatched the same way by pages and the API,
  so a transition is never wired twice. It runs the service in the site's language (stored texts
  are Chinese, ``portal.language``).

Error codes are kebab-case and stable (clients branch on them): ``state-not-allowed`` for a
transition the current state forbids; chapters add their own (``checklist-incomplete``, …).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django_fsm import can_proceed

from portal.language import site_language

STATE_NOT_ALLOWED = "state-not-allowed"


class Refused(Exception):
    """The action is not allowed now (HTTP 409); ``code`` names the reason for API clients."""

    def __init__(self, message: str, *, code: str = STATE_NOT_ALLOWED):
        super().__init__(message)
        self.message = message
        self.code = code


def ensure_transition(obj, method_name: str, label: str) -> None:
    """Refuse (409, ``state-not-allowed``) when the FSM transition cannot run from the current state."""
    if not can_proceed(getattr(obj, method_name)):
        raise Refused(f"当前状态“{obj.get_status_display()}”不能执行“{label}”。", code=STATE_NOT_ALLOWED)


def actions_the_state_allows(obj, transitions: Mapping[str, str]) -> list[str]:
    """The actions of ``transitions`` (action name -> FSM transition method) that ``obj``'s state allows now,
    as ``can_proceed`` says for each: a page or API list asks it for every row (10 transitions x 50 rows).

    A transition without conditions depends on the state alone, so the answer is kept per model, table and
    state (``_StateTable``); one with conditions (a plan's submission) is still asked of the object."""
    table = _STATE_TABLES.get((type(obj), id(transitions)))
    if table is None or table.transitions is not transitions:  # a table is a module constant; the id confirms it
        table = _STATE_TABLES[(type(obj), id(transitions))] = _StateTable(type(obj), transitions)
    return table.allowed(obj)


class _StateTable:
    def __init__(self, model: type, transitions: Mapping[str, str]):
        self.transitions = transitions
        self.metas = {action: getattr(model, method)._django_fsm for action, method in transitions.items()}
        self.conditional = {
            action for action, meta in self.metas.items() if any(t.conditions for t in meta.transitions.values())
        }
        fields = {meta.field.attname for meta in self.metas.values()}
        if len(fields) != 1:
            raise ValueError(f"{model.__name__}: one table of transitions moves one state field, not {sorted(fields)}")
        self.state_field = fields.pop()
        self.by_state: dict = {}

    def allowed(self, obj) -> list[str]:
        state = getattr(obj, self.state_field)
        actions = self.by_state.get(state)
        if actions is None:
            actions = self.by_state[state] = tuple(a for a, meta in self.metas.items() if meta.has_transition(state))
        if not self.conditional:
            return list(actions)
        return [a for a in actions if a not in self.conditional or can_proceed(getattr(obj, self.transitions[a]))]


_STATE_TABLES: dict[tuple, _StateTable] = {}


def lock(model, pk):
    """Re-read the row under a lock (only this table: joined rows are not locked).

    Every transition checks the state of this locked copy, never of the instance it was given, so two
    concurrent requests cannot both pass the check."""
    return model.objects.select_for_update(of=("self",)).get(pk=pk)


@dataclass(frozen=True)
class Action:
    """One transition as the user sees it.

    ``service`` is called as ``service(<object_arg>=obj, actor=user, **cleaned_input)``; ``input`` is the
    DRF serializer of the API request body (None: the action takes no input), ``form`` the page form.
    ``confirm`` is the sentence the confirmation dialog shows for binding or destructive actions
    (empty: no confirmation)."""

    name: str
    label: str
    service: Callable[..., Any]
    input: type | None = None
    form: type | None = None
    confirm: str = ""


class ActionTable(Mapping):
    """The transitions of one kind of object, in the order the page shows them."""

    def __init__(self, *actions: Action, object_arg: str):
        self._actions = {a.name: a for a in actions}
        if len(self._actions) != len(actions):
            raise ValueError("two actions share a name")
        self.object_arg = object_arg

    def __getitem__(self, name: str) -> Action:
        return self._actions[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._actions)

    def __len__(self) -> int:
        return len(self._actions)

    def run(self, name: str, *, obj, actor, data: Mapping | None = None):
        """Call the action's service; ``Refused`` and ``ValidationError`` propagate to the caller.

        The service runs in the site's language: what it stores (timeline comments, notifications,
        deadline titles) is Chinese whatever the requester's interface language (``portal.language``)."""
        with site_language():
            return self[name].service(**{self.object_arg: obj}, actor=actor, **dict(data or {}))
