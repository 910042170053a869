"""The site's pages, one ``cases`` namespace (``cases:home``, ``cases:contrib_edit``…) whatever the
context that serves them. Accounts are under ``/comptes/`` (``contributions/urls_accounts.py``) and the
API under ``/api/`` (``api/urls.py``), both mounted by ``observatory/urls.py``."""

from .catalogue import urls as catalogue
from .contributions import urls as contributions
from .moderation import urls as moderation
from .private import private
from .releases import urls as releases
from .research import urls as research
from .territories import urls as territories

app_name = "cases"

urlpatterns = [
    *catalogue.urlpatterns,
    *territories.urlpatterns,
    *releases.urlpatterns,
    # Officials' drafts and the moderators' pages: never cached.
    *private(contributions.urlpatterns),
    *private(moderation.urlpatterns),
    *private(research.urlpatterns),
]
