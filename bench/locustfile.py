"""Load test journeys (locust), run headless by bench/load_test.py against 127.0.0.1 only.

- ``Visitor`` (most users): browses the list with facets, opens profiles, compares, looks at the map
  data and the statistics, reads API pages;
- ``Exporter`` (one user): one full CSV export per minute;
- ``Official`` and ``Moderator`` (one each): a trickle of contributions through the write API, each
  submitted, and the moderator's decisions on the queue (publish), so caches are invalidated under load.

Settings come from the environment set by the runner: ``LOAD_SLUGS`` (published slugs, comma-separated),
``LOAD_OFFICIAL_TOKEN``, ``LOAD_MODERATOR_TOKEN``, ``LOAD_TERRITORY`` (a commune id for contributions).
"""

import os
import random

from locust import HttpUser, between, constant_pacing, task

SLUGS = [s for s in os.environ.get("LOAD_SLUGS", "").split(",") if s]
MODES = ["consumer", "participative", "enhanced"]
THEMES = ["mobility", "local_democracy", "culture_tourism", "energy_buildings", "public_safety"]
REGIONS = ["11", "24", "27", "28", "32", "44", "52", "53", "75", "76", "84", "93"]


def some_filters():
    choices = [
        {}, {"mode": random.choice(MODES)}, {"dominant_theme": random.choice(THEMES)},
        {"region": random.choice(REGIONS)},
        {"mode": random.choice(MODES), "region": random.choice(REGIONS)},
        {"mode": random.choice(MODES), "dominant_theme": random.choice(THEMES)},
    ]
    return random.choice(choices)


class Visitor(HttpUser):
    weight = 48
    wait_time = between(1, 4)

    @task(6)
    def browse(self):
        filters = some_filters()
        self.client.get("/cas/", params=filters, name="/cas/ (facets)")
        if random.random() < 0.3:
            self.client.get("/cas/", params={**filters, "page": random.randint(2, 40)}, name="/cas/?page=N")
        if random.random() < 0.2:
            self.client.get("/cas/", params={"q": random.choice(["budget", "plateforme", "donnees"]), **filters},
                            name="/cas/?q=…")

    @task(5)
    def profile(self):
        self.client.get(f"/cas/{random.choice(SLUGS)}/", name="/cas/<slug>/")

    @task(2)
    def compare(self):
        picked = random.sample(SLUGS, random.randint(2, 4))
        self.client.get("/comparer/", params=[("cas", s) for s in picked], name="/comparer/")

    @task(3)
    def map(self):
        if random.random() < 0.3:
            self.client.get("/carte/", params=some_filters(), name="/carte/")
        self.client.get("/carte/donnees.geojson", params=some_filters(), name="/carte/donnees.geojson",
                        headers={"Accept-Encoding": "gzip"})

    @task(2)
    def statistics(self):
        self.client.get("/statistiques/", params=some_filters(), name="/statistiques/")

    @task(3)
    def api(self):
        filters = some_filters()
        # Past the last page is a 404 by design: deep pages only without filters.
        page = random.randint(1, 20) if not filters else 1
        self.client.get("/api/v1/cases/", params={"page_size": 50, "page": page, **filters}, name="/api/v1/cases/")
        if random.random() < 0.3:
            self.client.get("/api/v1/stats/", params=some_filters(), name="/api/v1/stats/")
        if random.random() < 0.3:
            self.client.get(f"/api/v1/cases/{random.choice(SLUGS)}/", name="/api/v1/cases/<slug>/")

    @task(1)
    def home(self):
        self.client.get("/", name="/")


class Exporter(HttpUser):
    fixed_count = 1
    wait_time = constant_pacing(60)

    @task
    def export(self):
        with self.client.get("/api/v1/cases.csv", params=some_filters(), name="/api/v1/cases.csv",
                             stream=True, catch_response=True) as response:
            for _chunk in response.iter_content(65536):
                pass


class Official(HttpUser):
    fixed_count = 1
    wait_time = constant_pacing(20)

    def on_start(self):
        self.client.headers["Authorization"] = f"Token {os.environ['LOAD_OFFICIAL_TOKEN']}"

    @task
    def contribute(self):
        territory = int(os.environ["LOAD_TERRITORY"])
        n = random.randint(1, 10**6)
        payload = {
            "case": {
                "title": f"Initiative de charge {n}", "territory": territory, "carrier": "commune",
                "population_city": 48_000, "population_epci": 210_000, "population_year": 2023,
                "launch_year": 2019, "horizon_year": 2030, "dominant_theme": "local_democracy",
                "secondary_themes": ["mobility"], "management_mode": "direct",
                "summary": "Les habitants proposent et votent des projets.", "website": "",
                "disclosure": "named", "pseudonym": "",
            },
            "tools": [{"name": "Plateforme de vote", "tool_type": "participatory_budget", "status": "deployed",
                       "software": "Decidim", "open_source": True, "url": "", "launch_year": 2020,
                       "end_year": None, "coproduction_mode": "participative",
                       "classification_rationale": "Les habitants proposent et votent des projets."}],
            "stakeholders": [{"name": "Conseil citoyen", "helix": "civil_society", "role": "Anime les ateliers"}],
            "factors": {},
            "sources": [{"kind": "official_document", "citation": "Délibération du conseil municipal", "url": "",
                         "date": "2019-03-12"}],
        }
        created = self.client.post("/api/v1/contributions/", json=payload, name="/api/v1/contributions/ (create)")
        if created.status_code == 201:
            self.client.post(f"/api/v1/contributions/{created.json()['id']}/submit/",
                             name="/api/v1/contributions/<id>/submit/")


class Moderator(HttpUser):
    fixed_count = 1
    wait_time = constant_pacing(20)

    def on_start(self):
        self.client.headers["Authorization"] = f"Token {os.environ['LOAD_MODERATOR_TOKEN']}"

    @task
    def decide(self):
        queue = self.client.get("/api/v1/moderation/queue/", params={"kind": "new"},
                                name="/api/v1/moderation/queue/")
        if queue.status_code != 200:
            return
        items = [item for item in queue.json()["results"] if item["kind"] == "new"]
        if items:
            # The newest: the synthetic dataset's own submitted cases are left for the queue's long tail.
            self.client.post(f"/api/v1/moderation/cases/{items[-1]['case']}/publish/", json={"comment": ""},
                             name="/api/v1/moderation/cases/<id>/publish/")
