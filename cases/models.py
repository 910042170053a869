"""The app's model registry: Django imports ``cases.models``, and each context defines its own models.

- ``territories.models`` — Territory (reference data);
- ``catalogue.models`` — Case and its children (DigitalTool, Stakeholder, FactorAssessment, Event, Source);
- ``contributions.models`` — CaseRevision, ContributorProfile;
- ``moderation.models`` — ModerationEvent;
- ``releases.models`` — Release (frozen, citable Data Packages of the public data).
- ``research.models`` — Study, StudyFinding, CaseFieldProvenance, Coding, Reconciliation.

Each of them lists its models in ``__all__``; code anywhere may import them from here.
"""

from .catalogue.models import *  # noqa: F403
from .contributions.models import *  # noqa: F403
from .moderation.models import *  # noqa: F403
from .outbox.models import *  # noqa: F403
from .releases.models import *  # noqa: F403
from .research.models import *  # noqa: F403
from .territories.models import *  # noqa: F403
