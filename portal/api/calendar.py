"""Working-day arithmetic over the API, for agencies' systems that compute statutory due dates."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.workdays import (
    DATE_MAX,
    DATE_MIN,
    DATE_RANGE_MESSAGE,
    MissingCalendarYear,
    add_working_days,
    loaded_years,
    years_label,
)

MAX_DAYS = 3650


class WorkingDaysQuery(serializers.Serializer):
    start = serializers.DateField(
        label="起算日",
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": "日期格式应为 YYYY-MM-DD，如 2026-02-13。", "required": "请提供起算日 start。"},
    )

    def validate_start(self, value):
        # Dates at the edge of Python's range would overflow in the arithmetic (issue 8, defect 6).
        if not DATE_MIN <= value <= DATE_MAX:
            raise serializers.ValidationError(DATE_RANGE_MESSAGE, code="out-of-range")
        return value

    days = serializers.IntegerField(
        label="工作日数",
        min_value=-MAX_DAYS,
        max_value=MAX_DAYS,
        error_messages={
            "invalid": "days 应为整数（工作日数，负数为向前推算）。",
            "required": "请提供工作日数 days。",
            "min_value": f"days 不得小于 -{MAX_DAYS}。",
            "max_value": f"days 不得大于 {MAX_DAYS}。",
        },
    )


class WorkingDaysView(APIView):
    """`start` + `days` working days (民法典 Arts. 201-203: the start day is not counted)."""

    @extend_schema(
        parameters=[
            OpenApiParameter("start", str, description="起算日 YYYY-MM-DD（不计入）", required=True),
            OpenApiParameter("days", int, description="工作日数；负数为向前推算", required=True),
        ],
        responses={
            200: inline_serializer(
                "WorkingDaysResult",
                {
                    "start": serializers.DateField(),
                    "days": serializers.IntegerField(),
                    "due": serializers.DateField(),
                    "provisional": serializers.BooleanField(
                        help_text="按临时日历（法定节假日，不含调休）计算：该年度节假日安排尚未载入，载入后结果可能变化。"
                    ),
                },
            )
        },
        tags=["calendar"],
    )
    def get(self, request):
        query = WorkingDaysQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        start, days = query.validated_data["start"], query.validated_data["days"]
        try:
            due = add_working_days(start, days)
        except MissingCalendarYear as exc:
            name = "start" if exc.year == start.year else "days"
            raise serializers.ValidationError({name: [f"{exc}（已载入：{years_label(loaded_years())}）"]}) from exc
        return Response(
            {"start": start.isoformat(), "days": days, "due": due.isoformat(), "provisional": due.provisional}
        )
