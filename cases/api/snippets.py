"""The consumer snippets (pandas, R, GDAL/QGIS) of the README and of ``/api/docs/``, written once.

The README holds them literally, with the local development server's address (``README_BASE``);
``/api/docs/`` shows them with the site's own address (``SITE_URL``). ``tests/api/test_export_readers.py``
checks that the README still holds each one, then runs it against a live server: pandas always, R
(``readr`` and ``sf``) when ``Rscript`` is installed, the GDAL command lines when ``ogrinfo`` is.
"""

from django.conf import settings

README_BASE = "http://127.0.0.1:8000"

PANDAS = """\
import pandas as pd
CODES = {c: "string" for c in ("region_code", "departement_code", "territory_code", "epci_siren",
                               "public_id", "case_public_id")}
cases = pd.read_csv("http://127.0.0.1:8000/api/v1/cases.csv?region=84", dtype=CODES)
tools = pd.read_csv("http://127.0.0.1:8000/api/v1/tools.csv", dtype=CODES)
factors = pd.read_csv("http://127.0.0.1:8000/api/v1/factors.csv", dtype=CODES)
excel = pd.read_csv("http://127.0.0.1:8000/api/v1/cases.csv?dialect=excel", sep=";", decimal=",",
                    encoding="utf-8-sig", dtype=CODES)
import pyogrio                                   # or geopandas.read_file(url), which uses it
info = pyogrio.read_info("http://127.0.0.1:8000/api/v1/cases.geojson")      # GDAL over HTTP
"""

# guess_max = Inf: readr guesses a column's type from its first 1,000 rows by default, and a column
# empty there (a figure pseudonymised cases do not publish) would be read as logical, then fail.
R = """\
library(readr); library(sf)
base <- "http://127.0.0.1:8000/api/v1"
# Codes are text ("01", "2A004", SIREN); every other column's type is guessed from all its rows.
cases <- read_csv(paste0(base, "/cases.csv?region=84"), guess_max = Inf,
                  col_types = cols(.default = col_guess(), region_code = "c", departement_code = "c",
                                   territory_code = "c", epci_siren = "c", public_id = "c"))
tools <- read_csv(paste0(base, "/tools.csv"), guess_max = Inf,
                  col_types = cols(.default = col_guess(), region_code = "c", departement_code = "c",
                                   territory_code = "c", case_public_id = "c"))
points <- st_read(paste0(base, "/cases.geojson?region=84"))   # GDAL's GeoJSON driver over HTTP
"""

GDAL = """\
# The GeoJSON, as R's st_read() opens it (GDAL's GeoJSON driver) and as QGIS "Protocol: HTTP(S)" does (/vsicurl/)
ogrinfo -ro -so -al 'http://127.0.0.1:8000/api/v1/cases.geojson?region=84'
ogrinfo -ro -so -al '/vsicurl/http://127.0.0.1:8000/api/v1/cases.geojson?region=84'
# The CSV as points, as QGIS opens it with the Options below; every column stays text (AUTODETECT_TYPE=NO,
# GDAL's default), so codes keep their zeros. "CSV:" names the driver when the URL does not end in .csv
ogrinfo -ro -so -al '/vsicurl/http://127.0.0.1:8000/api/v1/cases.csv' -oo X_POSSIBLE_NAMES=longitude \\
  -oo Y_POSSIBLE_NAMES=latitude
ogr2ogr -f GPKG cases.gpkg 'CSV:/vsicurl/http://127.0.0.1:8000/api/v1/cases.csv?region=84' \\
  -oo X_POSSIBLE_NAMES=longitude -oo Y_POSSIBLE_NAMES=latitude -a_srs EPSG:4326 -nln cases
"""


def for_site(snippet: str, base: str | None = None) -> str:
    """``snippet`` with the site's address (``SITE_URL``, or ``base``) instead of the development server's."""
    return snippet.replace(README_BASE, (base or settings.SITE_URL).rstrip("/"))
