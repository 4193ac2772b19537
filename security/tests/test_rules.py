"""The GB/T 22240-2020 matrix, the higher-of-two rule and the conclusion scales, as data."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from security import rules
from security.services import grading_compute

CELLS = [
    ("citizen", "general", 1),
    ("citizen", "serious", 2),
    ("citizen", "especially_serious", 3),
    ("public", "general", 2),
    ("public", "serious", 3),
    ("public", "especially_serious", 4),
    ("national", "general", 3),
    ("national", "serious", 4),
    ("national", "especially_serious", 5),
]


@pytest.mark.parametrize(("obj", "degree", "level"), CELLS)
def test_it_gives_each_matrix_cell_its_level(obj, degree, level):
    assert rules.level_for(obj, degree) == level
    same = {"business_harm_object": obj, "business_harm_degree": degree}
    assert grading_compute({**same, "service_harm_object": obj, "service_harm_degree": degree})["level"] == level


def test_the_matrix_has_exactly_nine_cells():
    assert len(rules.GRADING_MATRIX) == 9
    assert [[c["level"] for c in row["cells"]] for row in rules.matrix_rows()] == [[1, 2, 3], [2, 3, 4], [3, 4, 5]]


@pytest.mark.parametrize(
    ("business", "service", "expected"),
    [
        (("citizen", "general"), ("national", "serious"), 4),
        (("public", "especially_serious"), ("citizen", "serious"), 4),
    ],
)
def test_it_takes_the_higher_of_the_two_levels(business, service, expected):
    result = grading_compute(
        {
            "business_harm_object": business[0],
            "business_harm_degree": business[1],
            "service_harm_object": service[0],
            "service_harm_degree": service[1],
        }
    )
    assert result["level"] == expected == max(result["business_level"], result["service_level"])


def test_it_refuses_a_level_the_answers_do_not_support():
    answers = {
        "business_harm_object": "public",
        "business_harm_degree": "serious",
        "service_harm_object": "citizen",
        "service_harm_degree": "general",
    }
    with pytest.raises(ValidationError) as error:
        grading_compute(answers, level=2)
    assert error.value.error_dict["level"][0].code == "level-contradicts-matrix"
    assert grading_compute(answers, level=3)["level"] == 3


@pytest.mark.parametrize(
    ("version", "score", "risk", "expected"),
    [
        ("2025", "90.50", False, "conforms"),
        ("2025", "90.50", True, "basically_conforms"),
        ("2025", "90", False, "basically_conforms"),
        ("2025", "60", False, "basically_conforms"),
        ("2025", "59.99", False, "not_conforms"),
        ("2021", "90", False, "excellent"),
        ("2021", "85", False, "good"),
        ("2021", "70", False, "fair"),
        ("2021", "69", False, "poor"),
        ("2021", "95", True, "poor"),
    ],
)
def test_it_applies_the_conclusion_scale_of_the_report_version(version, score, risk, expected):
    assert rules.conclusion_for(version, Decimal(score), risk) == expected


def test_it_reads_the_evaluation_interval_per_level_from_settings(settings):
    assert rules.evaluation_interval_months(3) == 12
    assert rules.evaluation_interval_months(2) is None
    settings.SECURITY_EVALUATION_INTERVAL_MONTHS = {4: 6}
    assert rules.next_evaluation_due(4, date(2026, 8, 31)) == date(2027, 2, 28)


def test_it_reads_incident_report_limits_per_level(settings):
    assert rules.first_report_limit("general").total_seconds() == 4 * 3600
    assert rules.first_report_limit("major").total_seconds() == 3600
    settings.SECURITY_INCIDENT_REPORT_MINUTES = {**settings.SECURITY_INCIDENT_REPORT_MINUTES, "general": 120}
    assert rules.first_report_limit("general").total_seconds() == 7200
