"""Writes of Chapter 1 and Arts. 28, 31, 40; import them from here."""

from planning.services.management import development_record_create
from planning.services.plans import (
    PLAN_EDITABLE_FIELDS,
    plan_confirm_conformity,
    plan_create,
    plan_publish,
    plan_record_approval,
    plan_return_for_revision,
    plan_submit_for_review,
    plan_update,
    plan_version_add,
)
from planning.services.recognition import achievement_create, commendation_create, recognition_publish
from planning.services.standards import standard_code_clean, standard_create, standard_update, standard_withdraw

__all__ = [
    "PLAN_EDITABLE_FIELDS",
    "achievement_create",
    "commendation_create",
    "development_record_create",
    "plan_confirm_conformity",
    "plan_create",
    "plan_publish",
    "plan_record_approval",
    "plan_return_for_revision",
    "plan_submit_for_review",
    "plan_update",
    "plan_version_add",
    "recognition_publish",
    "standard_code_clean",
    "standard_create",
    "standard_update",
    "standard_withdraw",
]
