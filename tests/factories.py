"""Factories for the domain model, with traits for the states tests need most."""

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from cases.catalogue.services import case_reindex
from cases.models import (
    Case,
    CaseSecondaryTheme,
    DigitalTool,
    Event,
    FactorAssessment,
    Source,
    Stakeholder,
    Territory,
)
from cases.permissions import MODERATORS_GROUP
from cases.text import fold
from cases.vocabularies import (
    Assessment,
    Carrier,
    CaseStatus,
    CoproductionMode,
    Disclosure,
    EpciType,
    EventKind,
    Factor,
    Helix,
    ManagementMode,
    PopulationDisclosure,
    SourceKind,
    TerritoryKind,
    Theme,
    ToolType,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct horse battery staple")

    class Params:
        superuser = factory.Trait(is_superuser=True, is_staff=True)

    @factory.post_generation
    def moderator(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(Group.objects.get_or_create(name=MODERATORS_GROUP)[0])


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Territory
        django_get_or_create = ["kind", "code"]

    kind = TerritoryKind.REGION
    code = factory.Sequence(lambda n: f"R{n:02d}")
    name = factory.Sequence(lambda n: f"Région {n}")
    # As the loader does, so that territory search finds factory-made territories.
    search_name = factory.LazyAttribute(lambda t: fold(t.name))
    cog_year = 2026


class DepartementFactory(RegionFactory):
    kind = TerritoryKind.DEPARTEMENT
    code = factory.Sequence(lambda n: f"D{n:02d}")
    name = factory.Sequence(lambda n: f"Département {n}")
    region = factory.SubFactory(RegionFactory)


class EpciFactory(RegionFactory):
    kind = TerritoryKind.EPCI
    code = factory.Sequence(lambda n: f"2{n:08d}")
    siren = factory.SelfAttribute("code")
    name = factory.Sequence(lambda n: f"Communauté d'agglomération {n}")
    epci_type = EpciType.CA
    population = 250_000
    population_year = 2023
    departement = factory.SubFactory(DepartementFactory)
    region = factory.SelfAttribute("departement.region")


class CommuneFactory(RegionFactory):
    kind = TerritoryKind.COMMUNE
    code = factory.Sequence(lambda n: f"{n:05d}")
    name = factory.Sequence(lambda n: f"Commune {n}")
    population = 120_000
    population_year = 2023
    epci = factory.SubFactory(EpciFactory)
    departement = factory.SelfAttribute("epci.departement")
    region = factory.SelfAttribute("epci.region")
    latitude = 45.0
    longitude = 4.0


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Initiative numérique {n}")
    slug = factory.Sequence(lambda n: f"initiative-numerique-{n}")
    territory = factory.SubFactory(CommuneFactory)
    carrier = Carrier.COMMUNE
    population_city = 120_000
    population_epci = 250_000
    population_year = 2023
    launch_year = 2019
    horizon_year = 2030
    dominant_theme = Theme.MOBILITY
    management_mode = ManagementMode.DIRECT
    summary = "Une initiative de **co-création** numérique."
    status = CaseStatus.PUBLISHED

    class Params:
        draft = factory.Trait(status=CaseStatus.DRAFT)
        submitted = factory.Trait(status=CaseStatus.SUBMITTED)
        pseudonymised = factory.Trait(
            disclosure=Disclosure.PSEUDONYMISED,
            pseudonym=factory.Sequence(lambda n: f"Collectivité X{n}"),
            population_disclosure=PopulationDisclosure.BAND,
        )
        national = factory.Trait(territory=None, scope="national", carrier=Carrier.CITIZENS)

    @factory.post_generation
    def tools(self, create, extracted, **kwargs):
        """``CaseFactory(tools=3)`` adds three tools, one per continuum mode in turn."""
        if create and extracted:
            modes = list(CoproductionMode)
            for i in range(extracted):
                DigitalToolFactory(case=self, coproduction_mode=modes[i % 3])

    @factory.post_generation
    def secondary_themes(self, create, extracted, **kwargs):
        if create and extracted:
            for theme in extracted:
                CaseSecondaryTheme.objects.create(case=self, theme=theme)

    @factory.post_generation
    def index(self, create, extracted, **kwargs):
        # Factories write rows directly; index them for search as the services would.
        if create:
            case_reindex(case=self)


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    case = factory.SubFactory(CaseFactory)
    kind = SourceKind.SEMI_STRUCTURED_INTERVIEW
    citation = factory.Sequence(lambda n: f"Entretien n° {n} avec la direction du numérique")


class DigitalToolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DigitalTool

    case = factory.SubFactory(CaseFactory)
    name = factory.Sequence(lambda n: f"Outil {n}")
    tool_type = ToolType.IDEATION
    coproduction_mode = CoproductionMode.PARTICIPATIVE
    classification_rationale = "Les habitants proposent et votent des idées d'aménagement."
    software = "Decidim"
    open_source = True


class StakeholderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Stakeholder

    case = factory.SubFactory(CaseFactory)
    name = factory.Sequence(lambda n: f"Acteur {n}")
    helix = Helix.CIVIL_SOCIETY
    role = "Anime les ateliers"


class FactorAssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FactorAssessment

    case = factory.SubFactory(CaseFactory)
    factor = Factor.RESOURCES
    assessment = Assessment.PRESENT


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    case = factory.SubFactory(CaseFactory)
    date = factory.Faker("date_between", start_date="-5y", end_date="today")
    kind = EventKind.MILESTONE
    title = factory.Sequence(lambda n: f"Étape {n}")


class ContributorFactory(UserFactory):
    """An official whose address is confirmed: in the contributors group, with a profile."""

    email = factory.Sequence(lambda n: f"agent{n}@mairie.example.fr")
    username = factory.SelfAttribute("email")
    first_name = "Camille"
    last_name = factory.Sequence(lambda n: f"Agent{n}")

    @factory.post_generation
    def profile(self, create, extracted, **kwargs):
        if not create:
            return
        from django.utils import timezone

        from cases.models import ContributorProfile
        from cases.permissions import CONTRIBUTORS_GROUP

        self.groups.add(Group.objects.get_or_create(name=CONTRIBUTORS_GROUP)[0])
        ContributorProfile.objects.create(user=self, organisation="Mairie", territory=kwargs.get("territory"),
                                          email_confirmed_at=timezone.now())
