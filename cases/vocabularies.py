"""Controlled vocabularies of the observatory.

Each vocabulary is a ``TextChoices``: the stored code is stable English, the label is French (the
site's default language) marked for translation, so English comes from Django i18n.  Definitions and
references feed the codebook page and ``/api/v1/vocabularies/``; keeping them here, next to the
codes, means the published codebook can never drift from what the database stores.
"""

from bisect import bisect_right

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CoproductionMode(models.TextChoices):
    """Osborne & Strokosch (2013): the continuum of co-production modes, lowest to highest."""

    CONSUMER = "consumer", _("Co-production active")
    PARTICIPATIVE = "participative", _("Co-production participative")
    ENHANCED = "enhanced", _("Co-production renforcée")

    @classmethod
    def rank(cls, value):
        """Position on the continuum (1 = consumer … 3 = enhanced), 0 for an unknown value."""
        # A dict, not ``cls.values`` rebuilt: this runs per tool in every list and export.
        return _MODE_RANK.get(value, 0)


_MODE_RANK = {mode.value: rank for rank, mode in enumerate(CoproductionMode, start=1)}


COPRODUCTION_DEFINITIONS = {
    # The study's own definitions (its framework slide, after Osborne & Strokosch 2013), word for word:
    # examples are not part of them (the methodology page gives the study's examples apart).
    CoproductionMode.CONSUMER: _(
        "Autonomisation des usagers et interactivité dans l'expérience utilisateur."
    ),
    CoproductionMode.PARTICIPATIVE: _(
        "Participation des usagers au processus de planification stratégique et de conception de "
        "l'offre de service public."
    ),
    CoproductionMode.ENHANCED: _(
        "Impulsion par les usagers d'une dynamique de transformation pour produire des formes "
        "innovantes de service public."
    ),
}

# One concrete example per level, for a newcomer (contributor page, methodology, guided form, map legend).
CONTINUUM_EXAMPLES = {
    CoproductionMode.CONSUMER: _(
        "Un habitant signale un nid-de-poule dans l'application de la ville : il améliore le service qu'il utilise."
    ),
    CoproductionMode.PARTICIPATIVE: _(
        "Des habitants proposent et discutent des aménagements de leur quartier sur une plateforme d'idéation."
    ),
    CoproductionMode.ENHANCED: _(
        "Des citoyens construisent eux-mêmes un service, comme un outil de recherche de créneaux de vaccination."
    ),
}


class ToolType(models.TextChoices):
    PARTICIPATION_PLATFORM = "participation_platform", _("Plateforme de participation citoyenne")
    PARTICIPATORY_BUDGET = "participatory_budget", _("Budget participatif")
    ONLINE_CONSULTATION = "online_consultation", _("Consultation en ligne")
    IDEATION = "ideation", _("Plateforme d'idéation / boîte à idées")
    CALL_FOR_PROJECTS = "call_for_projects", _("Appel à projets citoyens")
    PETITION = "petition", _("Pétition / interpellation")
    ISSUE_REPORTING = "issue_reporting", _("Signalement citoyen")
    CIVIC_APP = "civic_app", _("Application citoyenne interactive")
    E_SERVICE = "e_service", _("Téléservice / démarche en ligne")
    OPEN_DATA_PORTAL = "open_data_portal", _("Portail open data")
    OPEN_INNOVATION = "open_innovation", _("Innovation ouverte / hackathon")
    DIGITAL_TWIN = "digital_twin", _("Maquette 3D / jumeau numérique")
    MAAS = "maas", _("Mobilité servicielle (MaaS)")
    SMART_PARKING = "smart_parking", _("Aide au stationnement")
    URBAN_DATA_PLATFORM = "urban_data_platform", _("Plateforme de données urbaines / hyperviseur")
    IOT_NETWORK = "iot_network", _("Réseau de capteurs")
    PARTICIPATORY_MAPPING = "participatory_mapping", _("Cartographie participative")
    CIVIC_CROWDFUNDING = "civic_crowdfunding", _("Financement participatif")
    LIVING_LAB = "living_lab", _("Living lab")
    OTHER = "other", _("Autre")


# The mode a form may *suggest* for a tool type.  Never applied automatically: the mode is a research
# judgement per tool (DESIGN.md §4), this only pre-selects a radio button.
SUGGESTED_MODE = {
    ToolType.PARTICIPATORY_BUDGET: CoproductionMode.CONSUMER,
    ToolType.CIVIC_APP: CoproductionMode.CONSUMER,
    ToolType.E_SERVICE: CoproductionMode.CONSUMER,
    ToolType.MAAS: CoproductionMode.CONSUMER,
    ToolType.SMART_PARKING: CoproductionMode.CONSUMER,
    ToolType.ISSUE_REPORTING: CoproductionMode.CONSUMER,
    ToolType.IDEATION: CoproductionMode.PARTICIPATIVE,
    ToolType.ONLINE_CONSULTATION: CoproductionMode.PARTICIPATIVE,
    ToolType.PARTICIPATION_PLATFORM: CoproductionMode.PARTICIPATIVE,
    ToolType.OPEN_DATA_PORTAL: CoproductionMode.PARTICIPATIVE,
    ToolType.OPEN_INNOVATION: CoproductionMode.PARTICIPATIVE,
    ToolType.DIGITAL_TWIN: CoproductionMode.PARTICIPATIVE,
    ToolType.PARTICIPATORY_MAPPING: CoproductionMode.PARTICIPATIVE,
    ToolType.LIVING_LAB: CoproductionMode.PARTICIPATIVE,
}


class ToolStatus(models.TextChoices):
    PLANNED = "planned", _("En projet")
    PILOT = "pilot", _("Expérimentation")
    DEPLOYED = "deployed", _("Déployé")
    STABILISED = "stabilised", _("Stabilisé")
    DISCONTINUED = "discontinued", _("Abandonné")


class Theme(models.TextChoices):
    ECOLOGICAL_TRANSITION = "ecological_transition", _("Transition écologique")
    FIFTEEN_MINUTE_CITY = "fifteen_minute_city", _("Ville du quart d'heure")
    PROXIMITY = "proximity", _("Proximité")
    MOBILITY = "mobility", _("Mobilité")
    ENERGY_BUILDINGS = "energy_buildings", _("Énergie et bâtiments")
    WATER_WASTE = "water_waste", _("Eau et déchets")
    PUBLIC_SAFETY = "public_safety", _("Sécurité / tranquillité publique")
    LOCAL_DEMOCRACY = "local_democracy", _("Démocratie locale")
    DIGITAL_PUBLIC_SERVICES = "digital_public_services", _("Services publics numériques")
    DIGITAL_INCLUSION = "digital_inclusion", _("Inclusion numérique")
    HEALTH = "health", _("Santé")
    ECONOMY = "economy", _("Économie et attractivité")
    CULTURE_TOURISM = "culture_tourism", _("Culture et tourisme")
    URBAN_PLANNING = "urban_planning", _("Aménagement et urbanisme")
    DATA_GOVERNANCE = "data_governance", _("Gouvernance des données")
    OTHER = "other", _("Autre")


class ManagementMode(models.TextChoices):
    DIRECT = "direct", _("Régie / gestion directe")
    DIRECT_WITH_CONTRACTORS = (
        "direct_with_contractors",
        _("Gestion directe + recours ciblé à des prestataires privés"),
    )
    PUBLIC_CONTRACT = "public_contract", _("Marché public")
    GLOBAL_PERFORMANCE_CONTRACT = "global_performance_contract", _("Marché global de performance")
    INNOVATION_PARTNERSHIP = "innovation_partnership", _("Partenariat d'innovation")
    PARTNERSHIP_CONTRACT = "partnership_contract", _("Marché de partenariat")
    CONCESSION = "concession", _("Concession / DSP")
    SEM = "sem", _("SEM")
    SPL = "spl", _("SPL")
    SEMOP = "semop", _("SEMOP")
    POOLED = "pooled", _("Mutualisation : syndicat, OPSN, groupement")
    CITIZEN_LED = "citizen_led", _("Portage citoyen / bénévole")
    OTHER = "other", _("Autre / mixte")


class Carrier(models.TextChoices):
    COMMUNE = "commune", _("Ville")
    EPCI = "epci", _("EPCI")
    COMMUNE_AND_EPCI = "commune_and_epci", _("Ville + EPCI")
    DEPARTEMENT = "departement", _("Département")
    REGION = "region", _("Région")
    CITIZENS = "citizens", _("Collectif citoyen")
    ASSOCIATION = "association", _("Association")
    COMPANY = "company", _("Entreprise")
    STATE = "state", _("État")


class Scope(models.TextChoices):
    COMMUNE = "commune", _("Commune")
    EPCI = "epci", _("Intercommunalité (EPCI)")
    DEPARTEMENT = "departement", _("Département")
    REGION = "region", _("Région")
    NATIONAL = "national", _("National")


class TerritoryKind(models.TextChoices):
    COMMUNE = "commune", _("Commune")
    EPCI = "epci", _("EPCI")
    EPT = "ept", _("Établissement public territorial (EPT)")
    DEPARTEMENT = "departement", _("Département")
    REGION = "region", _("Région")


class EpciType(models.TextChoices):
    CC = "CC", _("Communauté de communes")
    CA = "CA", _("Communauté d'agglomération")
    CU = "CU", _("Communauté urbaine")
    METRO = "METRO", _("Métropole")
    MET69 = "MET69", _("Métropole de Lyon (collectivité à statut particulier)")


class Helix(models.TextChoices):
    """Quintuple helix (Carayannis et al., 2012)."""

    PUBLIC_SECTOR = "public_sector", _("Pouvoirs publics")
    INDUSTRY = "industry", _("Entreprises")
    ACADEMIA = "academia", _("Recherche et enseignement supérieur")
    CIVIL_SOCIETY = "civil_society", _("Société civile")
    ENVIRONMENT = "environment", _("Environnement naturel")


class FactorGroup(models.TextChoices):
    FAVOURABLE_TECHNOLOGICAL = "favourable_technological", _("Facteurs favorables (technologiques)")
    FAVOURABLE_NON_TECHNOLOGICAL = (
        "favourable_non_technological",
        _("Facteurs favorables (non technologiques)"),
    )
    UNFAVOURABLE = "unfavourable", _("Facteurs défavorables")
    IMPLEMENTATION_DIFFICULTY = "implementation_difficulty", _("Difficultés de mise en œuvre")


class Factor(models.TextChoices):
    """Chatfield et al. (2019) as translated by the source study, plus its implementation difficulties."""

    DEPLOYED_RELIABLE_SOLUTIONS = (
        "deployed_reliable_solutions",
        _("Solutions numériques déployées, stabilisées et fiables"),
    )
    INTEROPERABLE_TECHNOLOGIES = "interoperable_technologies", _("Technologies interopérables et intégrées")
    DATA_PLATFORM = "data_platform", _("Plateforme de diffusion et d'analyse des données")
    EASY_ACCESS = "easy_access", _("Facilité d'accès aux solutions numériques")
    VALUE_PROPOSITION_AGREEMENT = (
        "value_proposition_agreement",
        _("Accord entre les parties prenantes sur une proposition de valeur pertinente"),
    )
    STAKEHOLDER_RELATIONS = (
        "stakeholder_relations",
        _("Management des relations entre les parties prenantes intéressées"),
    )
    CITY_AS_PLATFORM = "city_as_platform", _("Penser la ville comme une plateforme d'innovation locale")
    SOCIAL_IMAGINATION = "social_imagination", _("Imagination sociale et esprit entrepreneurial")
    LACK_OF_PREPAREDNESS = (
        "lack_of_preparedness",
        _("Manque de préparation à la gestion des technologies numériques"),
    )
    PRIVATE_INTEREST_CAPTURE = (
        "private_interest_capture",
        _("Projets favorisant les intérêts d'un partenaire privé au détriment de l'intérêt général"),
    )
    PROJECT_PHASING = "project_phasing", _("Phasage du projet")
    RESOURCES = "resources", _("Ressources disponibles")
    NETWORK_GOVERNANCE = "network_governance", _("Gouvernance en réseau")


FACTOR_GROUPS = {
    FactorGroup.FAVOURABLE_TECHNOLOGICAL: [
        Factor.DEPLOYED_RELIABLE_SOLUTIONS,
        Factor.INTEROPERABLE_TECHNOLOGIES,
        Factor.DATA_PLATFORM,
        Factor.EASY_ACCESS,
    ],
    FactorGroup.FAVOURABLE_NON_TECHNOLOGICAL: [
        Factor.VALUE_PROPOSITION_AGREEMENT,
        Factor.STAKEHOLDER_RELATIONS,
        Factor.CITY_AS_PLATFORM,
        Factor.SOCIAL_IMAGINATION,
    ],
    FactorGroup.UNFAVOURABLE: [Factor.LACK_OF_PREPAREDNESS, Factor.PRIVATE_INTEREST_CAPTURE],
    FactorGroup.IMPLEMENTATION_DIFFICULTY: [
        Factor.PROJECT_PHASING,
        Factor.RESOURCES,
        Factor.NETWORK_GOVERNANCE,
    ],
}
FACTOR_GROUP_OF = {factor: group for group, factors in FACTOR_GROUPS.items() for factor in factors}

# The study's own one-line readings of its three implementation difficulties (its results slide).
FACTOR_DEFINITIONS = {
    Factor.PROJECT_PHASING: _(
        "Le déploiement et la stabilisation du socle technologique constituent des prérequis à "
        "l'amplification des usages."
    ),
    Factor.RESOURCES: _(
        "La transformation des organisations puis l'animation des phases d'idéation nécessitent de "
        "mobiliser des ressources."
    ),
    Factor.NETWORK_GOVERNANCE: _(
        "Le passage à l'échelle implique de faire travailler ensemble des acteurs aux intérêts "
        "parfois contradictoires."
    ),
}


class Assessment(models.TextChoices):
    PRESENT = "present", _("Observé")
    PARTIAL = "partial", _("Partiellement observé")
    ABSENT = "absent", _("Non observé")
    UNKNOWN = "unknown", _("Inconnu")


class EventKind(models.TextChoices):
    LAUNCH = "launch", _("Lancement")
    MILESTONE = "milestone", _("Étape")
    TOOL_DEPLOYED = "tool_deployed", _("Outil déployé")
    TOOL_RETIRED = "tool_retired", _("Outil retiré")
    GOVERNANCE = "governance", _("Gouvernance")
    SETBACK = "setback", _("Difficulté")
    OBSERVATION = "observation", _("Observation")


class SourceKind(models.TextChoices):
    SEMI_STRUCTURED_INTERVIEW = "semi_structured_interview", _("Entretien semi-directif")
    PARTICIPANT_OBSERVATION = "participant_observation", _("Observation participante")
    SECONDARY_SOURCE = "secondary_source", _("Source secondaire")
    # Not in DESIGN.md: the study itself is evidence of a kind none of the others names.
    ACADEMIC_PUBLICATION = "academic_publication", _("Publication scientifique")
    SELF_DECLARATION = "self_declaration", _("Déclaration de la collectivité")
    OFFICIAL_DOCUMENT = "official_document", _("Document officiel")
    PRESS = "press", _("Presse")


class CollectionMethod(models.TextChoices):
    SEMI_STRUCTURED_INTERVIEWS = "semi_structured_interviews", _("Entretiens semi-directifs")
    PARTICIPANT_OBSERVATION = "participant_observation", _("Observation participante")
    SECONDARY_SOURCES = "secondary_sources", _("Étude de sources secondaires")
    SURVEY = "survey", _("Questionnaire")
    SELF_DECLARATION = "self_declaration", _("Déclaration de la collectivité")


class Disclosure(models.TextChoices):
    NAMED = "named", _("Nommée")
    PSEUDONYMISED = "pseudonymised", _("Pseudonymisée")


class PopulationDisclosure(models.TextChoices):
    EXACT = "exact", _("Chiffres exacts")
    BAND = "band", _("Tranches de population")


class CaseStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("case status", "Brouillon")
    SUBMITTED = "submitted", pgettext_lazy("case status", "Soumis")
    CHANGES_REQUESTED = "changes_requested", pgettext_lazy("case status", "Modifications demandées")
    PUBLISHED = "published", pgettext_lazy("case status", "Publié")
    REJECTED = "rejected", pgettext_lazy("case status", "Refusé")
    ARCHIVED = "archived", pgettext_lazy("case status", "Archivé")


# Allowed workflow transitions: from -> set of targets.  The services enforce it.
CASE_TRANSITIONS = {
    CaseStatus.DRAFT: {CaseStatus.SUBMITTED},
    # Back to draft: its submitter withdraws it before the decision (their right, see /mentions-legales/).
    CaseStatus.SUBMITTED: {CaseStatus.PUBLISHED, CaseStatus.CHANGES_REQUESTED, CaseStatus.REJECTED, CaseStatus.DRAFT},
    CaseStatus.CHANGES_REQUESTED: {CaseStatus.SUBMITTED},
    CaseStatus.PUBLISHED: {CaseStatus.ARCHIVED},
    CaseStatus.REJECTED: set(),
    CaseStatus.ARCHIVED: {CaseStatus.PUBLISHED},
}


class RevisionStatus(models.TextChoices):
    """Where a proposed update of a published case stands.

    The codes are those of ``CaseStatus`` so that a revision's transitions are recorded as ordinary
    ModerationEvents (with their ``revision`` set); ``published`` means "approved and applied".
    """

    DRAFT = "draft", pgettext_lazy("revision status", "Brouillon")
    SUBMITTED = "submitted", pgettext_lazy("revision status", "En attente de modération")
    CHANGES_REQUESTED = "changes_requested", pgettext_lazy("revision status", "Modifications demandées")
    PUBLISHED = "published", pgettext_lazy("revision status", "Approuvée et publiée")
    REJECTED = "rejected", pgettext_lazy("revision status", "Refusée")


REVISION_OPEN_STATUSES = (RevisionStatus.DRAFT, RevisionStatus.SUBMITTED, RevisionStatus.CHANGES_REQUESTED)
REVISION_TRANSITIONS = {
    RevisionStatus.DRAFT: {RevisionStatus.SUBMITTED},
    RevisionStatus.SUBMITTED: {RevisionStatus.PUBLISHED, RevisionStatus.CHANGES_REQUESTED, RevisionStatus.REJECTED},
    RevisionStatus.CHANGES_REQUESTED: {RevisionStatus.SUBMITTED},
    RevisionStatus.PUBLISHED: set(),
    RevisionStatus.REJECTED: set(),
}


# Population bands (upper bounds exclusive).  Used for pseudonymised cases and the browse facets;
# cut where French statistics usually cut (INSEE "tranches d'unité urbaine"-like thresholds).
POPULATION_BANDS = [
    ("lt_2k", 0, 2_000, _("moins de 2 000 habitants")),
    ("2k_10k", 2_000, 10_000, _("2 000 à 9 999 habitants")),
    ("10k_20k", 10_000, 20_000, _("10 000 à 19 999 habitants")),
    ("20k_50k", 20_000, 50_000, _("20 000 à 49 999 habitants")),
    ("50k_100k", 50_000, 100_000, _("50 000 à 99 999 habitants")),
    ("100k_200k", 100_000, 200_000, _("100 000 à 199 999 habitants")),
    ("200k_500k", 200_000, 500_000, _("200 000 à 499 999 habitants")),
    ("500k_plus", 500_000, None, _("500 000 habitants et plus")),
]


_BAND_FLOORS = [low for _code, low, _high, _label in POPULATION_BANDS]


def population_band(population):
    """The band ``(code, label)`` that holds ``population``, or ``None`` when it is unknown."""
    if population is None or population < _BAND_FLOORS[0]:
        return None
    # Contiguous bands from 0 up, the last open: the band is the last whose floor is ≤ the figure (a
    # bisection: the facts of 10,000 cases ask this 20,000 times).
    code, _low, _high, label = POPULATION_BANDS[bisect_right(_BAND_FLOORS, population) - 1]
    return code, label


# Coarser bands a pseudonymised case may be published under (cases.disclosure.rule: the ladder widens
# the bands above into these), and the areas that may replace its région.
WIDE_POPULATION_BANDS = [
    ("lt_10k", _("moins de 10 000 habitants")),
    ("10k_50k", _("10 000 à 49 999 habitants")),
    ("50k_200k", _("50 000 à 199 999 habitants")),
    ("200k_plus", _("200 000 habitants et plus")),
    ("lt_50k", _("moins de 50 000 habitants")),
    ("50k_plus", _("50 000 habitants et plus")),
]
PUBLIC_BAND_CHOICES = [(code, label) for code, _low, _high, label in POPULATION_BANDS] + WIDE_POPULATION_BANDS
PUBLIC_AREAS = [("metro", _("France métropolitaine")), ("outremer", _("Outre-mer"))]


def band_label(code):
    """The label of any public band code (fine or widened), or ``""``."""
    return dict(PUBLIC_BAND_CHOICES).get(code, "")
