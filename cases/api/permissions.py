"""API permissions: reading is open to everyone; anything else asks the one gate, ``cases.permissions``.

Write endpoints (officials' and moderators' token-authenticated edits) are to subclass
``AbilityPermission`` with the action they need, so the API decides exactly as the pages do.
"""

from rest_framework import permissions

from cases.permissions import abilities


class ReadOnly(permissions.BasePermission):
    def has_permission(self, request, view):
        return request.method in permissions.SAFE_METHODS


class AbilityPermission(permissions.BasePermission):
    """Allows an unsafe method on a case when ``abilities(user, case)[action]`` is true."""

    action = "update"

    def has_permission(self, request, view):
        return request.method in permissions.SAFE_METHODS or request.user.is_authenticated

    def has_object_permission(self, request, view, obj):
        if request.method in permissions.SAFE_METHODS:
            return abilities(request.user, obj)["view"]
        return abilities(request.user, obj).get(self.action, False)
