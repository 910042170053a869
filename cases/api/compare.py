"""The comparison as data: per characteristic, one cell per case with its value (number, ISO date or
code) and the label the site shows beside it."""

from django.utils.translation import gettext as _

from cases.catalogue import layout
from cases.vocabularies import PUBLIC_BAND_CHOICES, Carrier, ManagementMode, Theme

from .public import public_case


def _label(choices, code):
    return str(dict(choices).get(code, "")) if code else "—"


def _number(value):
    return "—" if value is None else f"{value}"


# (key, row label, value of a PublicCase, label of that value)
ROWS = [
    ("population_city", lambda: _("Population — ville centre"), lambda c: c.population_city, _number),
    ("population_city_band", lambda: _("Tranche de population — ville centre"), lambda c: c.population_city_band,
     lambda v: _label(PUBLIC_BAND_CHOICES, v)),
    ("population_epci", lambda: _("Population — EPCI"), lambda c: c.population_epci, _number),
    ("population_epci_band", lambda: _("Tranche de population — EPCI"), lambda c: c.population_epci_band,
     lambda v: _label(PUBLIC_BAND_CHOICES, v)),
    ("population_year", lambda: _("Année des populations"), lambda c: c.population_year, _number),
    ("carrier", lambda: _("Portage du projet"), lambda c: c.carrier or None, lambda v: _label(Carrier.choices, v)),
    ("launch_year", lambda: _("Année de lancement"), lambda c: c.launch_year, _number),
    ("launch_date", lambda: _("Date de lancement"),
     lambda c: c.launch_date.isoformat() if c.launch_date else None, lambda v: v or "—"),
    ("horizon_year", lambda: _("Principale échéance"), lambda c: c.horizon_year, _number),
    ("dominant_theme", lambda: _("Thématique dominante"), lambda c: c.dominant_theme or None,
     lambda v: _label(Theme.choices, v)),
    ("management_mode", lambda: _("Mode de gestion du projet"), lambda c: c.management_mode or None,
     lambda v: _label(ManagementMode.choices, v)),
]


def compare_table(cases) -> dict:
    """``characteristics`` and ``modes`` rows for ``cases`` (model instances, in the asked order)."""
    public = [public_case(case) for case in cases]
    characteristics = []
    for key, label, get, show in ROWS:
        values = [get(case) for case in public]
        characteristics.append({"key": key, "label": str(label()),
                                "values": [{"value": value, "label": str(show(value))} for value in values]})
    layouts = [layout.tools_by_mode(case) for case in cases]
    modes = [{"key": column.mode, "label": str(column.label),
              "values": [{"value": len(layout[index].tools), "label": str(len(layout[index].tools))}
                         for layout in layouts]}
             for index, column in enumerate(layouts[0])] if layouts else []
    return {"characteristics": characteristics, "modes": modes}
