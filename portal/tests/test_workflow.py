"""The shared workflow mechanism: action tables, refusals with codes, problem+json carrying them."""

import pytest
from django.core.exceptions import ValidationError
from rest_framework import serializers

from portal.api.problems import problem_exception_handler
from portal.workflow import Action, ActionTable, Refused


def _body(response):
    assert response.content_type == "application/problem+json"
    return response.data


def test_it_answers_a_refusal_as_409_with_its_code():
    response = problem_exception_handler(Refused("已提交，不能再次提交。", code="already-submitted"), {})

    assert response.status_code == 409
    body = _body(response)
    assert body["code"] == "already-submitted"
    assert body["detail"] == "已提交，不能再次提交。"


def test_it_carries_a_service_validation_code_per_field():
    error = ValidationError({"held_on": ValidationError("验收日期不能早于批复日期。", code="date-before-approval")})

    body = _body(problem_exception_handler(error, {}))

    assert body["status"] == 400
    assert body["invalid_params"] == [
        {"name": "held_on", "reason": "验收日期不能早于批复日期。", "code": "date-before-approval"}
    ]


def test_it_carries_serializer_codes_such_as_required():
    class Input(serializers.Serializer):
        passed = serializers.BooleanField()

    serializer = Input(data={})
    assert not serializer.is_valid()
    from rest_framework.exceptions import ValidationError as DRFValidationError

    body = _body(problem_exception_handler(DRFValidationError(serializer.errors), {}))

    assert body["invalid_params"][0]["name"] == "passed"
    assert body["invalid_params"][0]["code"] == "required"


def test_it_dispatches_an_action_to_its_service_with_the_object_argument():
    calls = []

    def thing_close(*, thing, actor, reason):
        calls.append((thing, actor, reason))
        return thing

    table = ActionTable(Action(name="close", label="关闭", service=thing_close), object_arg="thing")

    assert table.run("close", obj="T", actor="U", data={"reason": "完成"}) == "T"
    assert calls == [("T", "U", "完成")]
    assert list(table) == ["close"]


def test_it_refuses_two_actions_with_one_name():
    action = Action(name="close", label="关闭", service=lambda **kw: None)

    with pytest.raises(ValueError, match="share a name"):
        ActionTable(action, action, object_arg="thing")


def test_it_keeps_one_detector_per_rule_in_rule_order():
    from portal import detectors as registry

    saved = dict(registry._registry)
    try:
        registry._registry.clear()
        first = registry.Detector(
            rule="b-rule", title="B", article_breached="11", sanctioning_article="43", offenders=list, party=str
        )
        registry.register(first)
        registry.register(
            registry.Detector(
                rule="a-rule", title="A", article_breached="29", sanctioning_article="46(2)", offenders=list, party=str
            )
        )
        registry.register(first)

        assert [d.rule for d in registry.detectors()] == ["a-rule", "b-rule"]
        assert registry.detector("b-rule") is first
    finally:
        registry._registry.clear()
        registry._registry.update(saved)


@pytest.mark.parametrize(
    ("model_path", "transitions_path", "variants"),
    [
        ("projects.models.ProjectFiling", "projects.permissions.FILING_TRANSITIONS", [{}]),
        ("security.models.GradingFiling", "security.permissions.GRADING_TRANSITIONS", [{}]),
        # Submitting for review has a condition (a district plan): asked of each plan, not by state.
        ("planning.models.Plan", "planning.permissions.PLAN_TRANSITIONS", [{"kind": "city"}, {"kind": "district"}]),
    ],
)
def test_the_actions_a_state_allows_are_what_django_fsm_says_in_every_state(model_path, transitions_path, variants):
    from django.utils.module_loading import import_string
    from django_fsm import can_proceed

    from portal.workflow import actions_the_state_allows

    model, transitions = import_string(model_path), import_string(transitions_path)
    allowed_somewhere = set()
    for state, _ in model._meta.get_field("status").choices:
        for variant in variants:
            obj = model(status=state, **variant)
            expected = [action for action, method in transitions.items() if can_proceed(getattr(obj, method))]
            assert actions_the_state_allows(obj, transitions) == expected, (state, variant)
            allowed_somewhere.update(expected)
    assert allowed_somewhere == set(transitions)  # every transition was seen allowed somewhere


def test_a_transition_with_conditions_is_asked_of_the_object_not_remembered_by_state(monkeypatch):
    from portal import workflow
    from projects.models import FilingStatus, ProjectFiling
    from projects.permissions import FILING_TRANSITIONS

    draft = ProjectFiling(status=FilingStatus.DRAFT)
    assert "submit" in workflow.actions_the_state_allows(draft, FILING_TRANSITIONS)  # remembered for drafts

    transition = ProjectFiling.submit._django_fsm.transitions[FilingStatus.DRAFT]
    monkeypatch.setattr(transition, "conditions", [lambda filing: filing.title == "完整"])
    workflow._STATE_TABLES.clear()
    try:
        assert "submit" not in workflow.actions_the_state_allows(draft, FILING_TRANSITIONS)
        draft.title = "完整"
        assert "submit" in workflow.actions_the_state_allows(draft, FILING_TRANSITIONS)
    finally:
        monkeypatch.undo()
        workflow._STATE_TABLES.clear()
