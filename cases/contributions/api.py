"""Write endpoints: officials create, update and submit their drafts; moderators act on the queue.

Token authentication (``Authorization: Token <key>``, the key is on ``/comptes/jeton-api/``) or the
site's session (with its CSRF token). The bodies are payloads (``cases.contributions.payload``), validated by the very
forms of the HTML pages, and every write goes through the same services — so the API accepts, refuses
and records exactly what the pages do.
"""

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from cases.api.exports import instant
from cases.api.throttling import RateLimitHeadersMixin
from cases.contributions.payload import PayloadError, case_payload, merged, normalise
from cases.contributions.ratelimits import limited
from cases.contributions.services import contribution_start, revision_save, revision_submit
from cases.contributions.submission import CaseSubmission, InvalidContent
from cases.contributions.tokens import HashedTokenAuthentication
from cases.models import Case, CaseRevision
from cases.moderation.selectors import moderation_queue
from cases.moderation.services import (
    case_archive,
    case_publish,
    case_reject,
    case_request_changes,
    revision_publish,
    revision_reject,
    revision_request_changes,
)
from cases.permissions import abilities
from cases.private import private
from cases.vocabularies import REVISION_OPEN_STATUSES


def _messages(error: ValidationError):
    if hasattr(error, "error_dict"):
        return {field: [str(m) for m in messages] for field, messages in error.message_dict.items()}
    return {"non_field_errors": [str(m) for m in error.messages]}


def _conflict(error: ValidationError) -> Response:
    return Response({"detail": " ".join(str(m) for m in error.messages)}, status=status.HTTP_409_CONFLICT)


def _too_many() -> Response:
    return Response({"detail": "Trop de soumissions en peu de temps : réessayez plus tard."},
                    status=status.HTTP_429_TOO_MANY_REQUESTS, headers={"Retry-After": "60"})


class WriteView(RateLimitHeadersMixin, APIView):
    authentication_classes = [HashedTokenAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated]


def _open_revision(case):
    return CaseRevision.objects.filter(case=case, status__in=REVISION_OPEN_STATUSES).first()


def _represent(case: Case, revision: CaseRevision | None = None, *, with_content: bool = True) -> dict:
    data = {
        "id": case.pk,
        "slug": case.slug,
        "title": case.title,
        "status": case.status,
        "revision": {"id": revision.pk, "status": revision.status} if revision else None,
        "url": case.get_absolute_url(),
    }
    if with_content:
        content = revision.data if revision else case_payload(case)
        submission = CaseSubmission.from_payload(normalise(content))
        data["content"] = content
        # What would stop a submission now, so a client can fix it before submitting.
        data["errors"] = {} if submission.is_valid(submit=True) else submission.errors()
    return data


def _contributable(request, pk) -> Case:
    case = get_object_or_404(Case, pk=pk)
    if not abilities(request.user, case)["contribute"]:
        raise NotFound
    return case


def _payload(request, *, only_given: bool = False) -> dict:
    """The body as a payload; with ``only_given``, just the parts the body has (for merging)."""
    try:
        payload = normalise(request.data)
    except PayloadError as error:
        raise InvalidContent({"payload": [str(error)]}) from error
    if only_given:
        payload = {key: value for key, value in payload.items() if key in request.data}
    return payload


def _invalid(error: InvalidContent) -> Response:
    return Response({"detail": "Contenu invalide.", "errors": error.errors}, status=status.HTTP_400_BAD_REQUEST)


@extend_schema(tags=["contributions"], request=OpenApiTypes.OBJECT, responses=OpenApiTypes.OBJECT)
class ContributionListView(WriteView):
    """Your contributions (GET), or a new draft (POST a payload whose ``case`` has at least a ``title``)."""

    @extend_schema(operation_id="contributions_list")
    def get(self, request):
        cases = Case.objects.filter(submitted_by=request.user).prefetch_related(
            Prefetch("revisions", queryset=CaseRevision.objects.filter(status__in=REVISION_OPEN_STATUSES),
                     to_attr="open_revisions")).order_by("-updated_at", "-pk")
        return Response({"results": [
            _represent(case, (case.open_revisions or [None])[0], with_content=False) for case in cases
        ]})

    def post(self, request):
        if not abilities(request.user)["contribute"]:
            raise PermissionDenied
        if limited(request, "submission"):
            return _too_many()
        try:
            payload = _payload(request, only_given=True)
        except InvalidContent as error:
            return _invalid(error)
        payload.setdefault("case", {})
        # Step one of the form: a title and a collectivity, validated by the same form.
        start = CaseSubmission.from_payload({"case": {k: v for k, v in payload["case"].items()
                                                      if k in ("title", "territory")}})
        start.is_valid()
        errors = {k: v for k, v in start.case_form.errors.items() if k in ("title", "territory")}
        if errors:
            return _invalid(InvalidContent({"case": {k: [str(m) for m in v] for k, v in errors.items()}}))
        case = contribution_start(actor=request.user, title=start.case_form.cleaned_data["title"],
                                           territory=start.case_form.cleaned_data.get("territory"))
        revision = revision_save(case=case, actor=request.user, data=merged(case_payload(case), payload))
        return Response(_represent(case, revision), status=status.HTTP_201_CREATED)


@extend_schema(tags=["contributions"], request=OpenApiTypes.OBJECT, responses=OpenApiTypes.OBJECT)
class ContributionDetailView(WriteView):
    """One of your contributions: GET its working copy, PUT (replace) or PATCH (merge) it as a draft."""

    def get(self, request, pk):
        case = _contributable(request, pk)
        return Response(_represent(case, _open_revision(case)))

    def _save(self, request, pk, *, partial: bool):
        case = _contributable(request, pk)
        try:
            payload = _payload(request, only_given=partial)
        except InvalidContent as error:
            return _invalid(error)
        revision = _open_revision(case)
        if partial:
            payload = merged(revision.data if revision else case_payload(case), payload)
        try:
            revision = revision_save(case=case, actor=request.user, data=payload)
        except ValidationError as error:
            return _conflict(error)
        return Response(_represent(case, revision))

    def put(self, request, pk):
        return self._save(request, pk, partial=False)

    def patch(self, request, pk):
        return self._save(request, pk, partial=True)


@extend_schema(tags=["contributions"], request=None, responses=OpenApiTypes.OBJECT)
class ContributionSubmitView(WriteView):
    """Send the working copy to the moderators (400 with the errors by field when it is incomplete)."""

    def post(self, request, pk):
        case = _contributable(request, pk)
        if limited(request, "submission"):
            return _too_many()
        revision = _open_revision(case)
        if revision is None:
            revision = revision_save(case=case, actor=request.user, data=case_payload(case))
        try:
            revision_submit(revision=revision, actor=request.user)
        except InvalidContent as error:
            return _invalid(error)
        except ValidationError as error:
            return _conflict(error)
        case.refresh_from_db()
        return Response(_represent(case, _open_revision(case), with_content=False))


@extend_schema(tags=["moderation"], request=None, responses=OpenApiTypes.OBJECT)
class ModerationQueueView(WriteView):
    """What awaits a moderator: new cases and updates, oldest first."""

    def get(self, request):
        if not abilities(request.user)["moderate"]:
            raise PermissionDenied
        items = moderation_queue({"status": request.query_params.get("status", "submitted"),
                        "kind": request.query_params.get("kind", "")})
        return Response({"results": [
            {"kind": item.kind, "case": item.case.pk, "slug": item.case.slug, "title": item.case.title,
             "revision": item.revision.pk if item.revision else None,
             "submitted_at": instant(item.submitted_at) if item.submitted_at else None}
            for item in items
        ]})


CASE_ACTIONS = {
    "publish": case_publish,
    "request-changes": case_request_changes,
    "reject": case_reject,
    "archive": case_archive,
}
REVISION_ACTIONS = {
    "publish": revision_publish,
    "request-changes": revision_request_changes,
    "reject": revision_reject,
}


@extend_schema(tags=["moderation"], request=OpenApiTypes.OBJECT, responses=OpenApiTypes.OBJECT)
class ModerationActionView(WriteView):
    """``{"comment": "…"}`` (required to request changes or reject). 409 when someone acted first."""

    target = "case"

    def post(self, request, pk, action):
        if not abilities(request.user)["moderate"]:
            raise PermissionDenied
        actions = CASE_ACTIONS if self.target == "case" else REVISION_ACTIONS
        if action not in actions:
            raise NotFound
        comment = request.data.get("comment", "") if isinstance(request.data, dict) else ""
        if not isinstance(comment, str):
            return _invalid(InvalidContent({"comment": ["Un texte est attendu."]}))
        try:
            if self.target == "case":
                obj = get_object_or_404(Case, pk=pk)
                actions[action](case=obj, actor=request.user, comment=comment)
                return Response({"id": obj.pk, "status": obj.status})
            obj = get_object_or_404(CaseRevision, pk=pk)
            actions[action](revision=obj, actor=request.user, comment=comment)
            obj.refresh_from_db()
            return Response({"id": obj.pk, "case": obj.case_id, "status": obj.status})
        except InvalidContent as error:
            return _invalid(error)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                return Response({"detail": "Paramètres invalides.", "errors": _messages(error)},
                                status=status.HTTP_400_BAD_REQUEST)
            return _conflict(error)


class RevisionActionView(ModerationActionView):
    target = "revision"


# Drafts, tokens' owners and the queue: never cached.
urlpatterns = private([
    path("contributions/", ContributionListView.as_view(), name="contribution-list"),
    path("contributions/<int:pk>/", ContributionDetailView.as_view(), name="contribution-detail"),
    path("contributions/<int:pk>/submit/", ContributionSubmitView.as_view(), name="contribution-submit"),
    path("moderation/queue/", ModerationQueueView.as_view(), name="moderation-queue"),
    path("moderation/cases/<int:pk>/<str:action>/", ModerationActionView.as_view(), name="moderation-case-action"),
    path("moderation/revisions/<int:pk>/<str:action>/", RevisionActionView.as_view(),
         name="moderation-revision-action"),
])
