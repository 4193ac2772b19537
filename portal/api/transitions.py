"""The API side of ``portal.workflow.ActionTable``: one method per transition, one dispatcher.

A viewset declares each transition explicitly (so the schema names its own request serializer)::

    @extend_schema(request=StartReviewInput, responses={200: FilingSerializer, **TRANSITION_ERRORS})
    @action(detail=True, methods=["post"], url_path="start_review")
    def start_review(self, request, id=None):
        return self.transition(request, "start_review")

``transition`` looks the object up through the scoped ``get_object`` first (404 before anything else,
whatever the body), asks ``check_action_permission`` (403 before the body is read, when the viewset
knows the role rule; the service checks again), validates the body with the action's own serializer
(400 with field errors; a body that is not a JSON object is a 400 too), runs the service (409
``Refused``, 403 ``PermissionDenied``) and answers the object as ``detail_serializer_class`` renders it.
"""

from rest_framework.response import Response

from portal.workflow import ActionTable


class TransitionMixin:
    action_table: ActionTable
    detail_serializer_class = None

    def check_action_permission(self, request, name: str, obj) -> None:
        """Raise ``PermissionDenied`` when the caller's role does not allow the action (default: leave it to
        the service)."""

    def transition(self, request, name: str):
        obj = self.get_object()
        self.check_action_permission(request, name, obj)
        spec = self.action_table[name]
        data = {}
        if spec.input is not None:
            serializer = spec.input(data=request.data, context=self.get_serializer_context())
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
        result = self.action_table.run(name, obj=obj, actor=request.user, data=data)
        serializer_class = self.detail_serializer_class or self.get_serializer_class()
        return Response(serializer_class(result, context=self.get_serializer_context()).data)
