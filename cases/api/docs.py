"""OpenAPI hooks (drf-spectacular): only the public API in the schema, and the guide as its description."""

from cases.api import snippets
from cases.api.exports import CASE_INDICATORS, CASE_TRAILING, case_csv_header, long_header, tool_csv_header


def only_public_api(endpoints, **kwargs):
    # The suffixed export routes (cases.csv…) duplicate the documented ``?format=`` of the lists.
    return [(path, regex, method, view) for path, regex, method, view in endpoints
            if path.startswith("/api/v1/") and "{format}" not in path]


GUIDE = """
API ouverte de l'Observatoire de la co-création numérique locale : cas d'usage des
outils numériques de co-création des collectivités françaises, classés sur le continuum de la
co-production (Osborne & Strokosch, 2013). La lecture est anonyme : aucune clé, aucun identifiant.
`/api/` et `/api/v1/` listent les points d'accès.

**Conventions.** Codes officiels en texte (INSEE pour communes, départements, régions ; SIREN pour EPCI
et EPT), millésime du COG indiqué (`cog_year`). Dates ISO 8601 ; **un seul format d'instant partout**
(JSON, CSV, GeoJSON) : UTC à la seconde, `2026-03-04T10:20:30Z`. Les vocabulaires contrôlés sont des
codes stables dont les libellés français et anglais et les définitions sont donnés par
`/api/v1/vocabularies/`. Identifiant stable et opaque de chaque cas : `public_id` (UUID), inchangé quand
le slug change ; `/api/v1/cases/<public_id>/` le retrouve.

**Filtres stricts.** Un filtre s'applique ou la réponse est un 400 avec un message pour ce paramètre :
nom inconnu (les noms commençant par `_` sont des contournements de cache, toujours acceptés), code
inconnu (`region=ARA`, `departement=1`), valeur mal formée (`open_source=peut-être` ; `true`/`false`
ou `1`/`0`), paramètre à valeur unique répété. Répéter un filtre multivalué signifie « ou »
(`region=84&region=93`). Une valeur vide n'est pas un filtre. `commune` (INSEE) et `epci` (SIREN) en plus
de `region` et `departement` ; `updated_since` et `published_since` (instant ISO 8601 avec fuseau).

**Pagination et synchronisation.** Par numéro de page (par défaut) : `count`, `next`, `previous`,
`results` ; `page_size` ≤ 200. Ordre par défaut : `slug` ; tout `ordering` finit par la clé unique du cas.
Un numéro de page est un décalage dans les lignes du moment : une publication ou un retrait pendant un
parcours décale les pages suivantes. **Curseur** (`cases` et `tools`) : `?cursor=` (vide) pour la première
page, puis suivre `next` jusqu'à `null` ; lignes dans l'ordre de `public_id` (cas) ou `id` (outils), clés
uniques et immuables ; pas de `count` ; `page` et `ordering` refusés avec un curseur, un curseur mal formé
donne 400. Garantie : toute ligne publique et conforme aux filtres, sous le même identifiant, du premier au
dernier appel, est renvoyée exactement une fois, quoi qu'on ajoute, modifie ou retire pendant ce temps.
Une ligne ajoutée pendant le parcours n'y figure que si sa clé suit la position du curseur ; les valeurs
sont celles du moment où chaque page est lue (pas un instantané). Pour une copie exacte : noter l'instant
du début, parcourir, puis appliquer `/api/v1/changes/?since=<cet instant>` (publiés, modifiés, retirés) ;
pour un état figé, l'export (un fichier construit sur une seule version des données) ou une publication.

**Formats.** JSON partout. `/api/v1/cases/?format=geojson` (ou `/api/v1/cases.geojson`) : FeatureCollection
RFC 7946, coordonnées [longitude, latitude] WGS 84, un Feature par cas (géométrie `null` quand le cas n'a
pas de point public). `?format=csv` (ou `.csv`) pour `cases`, `tools`, `factors` et `stakeholders` : UTF-8
sans BOM, séparateur virgule, cellule vide = inconnu, booléens 1/0 ; un texte commençant par `=`, `+`,
`-`, `@`, tabulation ou retour chariot reçoit une apostrophe en tête (injection de formules, règle OWASP).
`dialect=excel` : UTF-8 avec BOM, séparateur `;`, virgule décimale. `labels=fr|en` : libellés au lieu des
codes. Les exports sont des fichiers complets avec `Content-Length` (lisibles par GDAL : QGIS, `ogr2ogr`,
R `sf`), un `ETag` par format et variante, `Vary: Accept` ; `HEAD` ne coûte presque rien une fois l'export
construit. Un format nommé dans l'URL (`.geojson`, `?format=csv`) l'emporte sur l'en-tête `Accept` ; sans
format dans l'URL, `Accept` choisit entre JSON, CSV et GeoJSON.

**Lire les exports** : les extraits ci-dessous sont exécutés tels quels par les tests contre un serveur réel
(pandas ; R `readr` et `sf` ; lignes de commande GDAL). Lire les codes comme du texte.

{snippets}
QGIS : *Couche › Ajouter une couche › Ajouter une couche vecteur*, source **Protocole : HTTP(S), cloud,
etc.**, type **HTTP/HTTPS/FTP**, URI `…/api/v1/cases.geojson` avec ses filtres (QGIS l'ouvre comme
`/vsicurl/<URI>`, la deuxième ligne `ogrinfo` ci-dessus). Le CSV en points : URI `…/api/v1/cases.csv` sans
paramètres, options `X_POSSIBLE_NAMES=longitude`, `Y_POSSIBLE_NAMES=latitude`, `AUTODETECT_TYPE=NO` ; filtré,
passer par `ogr2ogr` (dernière ligne). Ces étapes sont vérifiées avec les outils en ligne de commande de
GDAL, que QGIS utilise, pas dans l'interface de QGIS.

**Cas pseudonymisés.** Un cas pseudonymisé n'est connu que par son pseudonyme (`name`) ; son territoire,
sa commune, son département et son EPCI sont `null` (cellules vides) ; ses populations exactes et sa
pointe saisonnière sont toujours `null`. Ses tranches (`*_band`, éventuellement élargies : `50k_200k`…)
et sa région (ou seulement `area` : `metro`, `outremer`) sont celles du contrôle de divulgation, qui
garantit qu'au moins `disclosure_k` collectivités réelles y correspondent ; il n'est placé qu'au point
de sa région publiée. Son site web et les liens de ses outils et sources sont omis. Les filtres
`departement`, `commune` et `epci` ne le trouvent pas ; le tri `population_city` utilise le bas de sa
tranche publiée. Un ancien identifiant d'un cas devenu pseudonymisé répond 410.

**Erreurs.** JSON partout sous `/api/` : `{"detail": …}` ; 400 ajoute `errors` (messages par paramètre) ;
404 : introuvable ou page au-delà de la dernière ; 405 : méthode non disponible ; 429 : trop de requêtes,
réessayer après `Retry-After` secondes. En-têtes `RateLimit-Limit`, `RateLimit-Remaining`,
`RateLimit-Reset`, `RateLimit-Policy` (brouillon IETF).

**Licence et publications.** Les données sont sous Licence Ouverte 2.0 (Etalab) ; chaque réponse et chaque
export le rappellent par l'en-tête `Link: <https://www.etalab.gouv.fr/licence-ouverte-open-licence/>;
rel="license"`. L'API donne l'état courant ; pour des données qui ne bougent plus (et à citer),
`/api/v1/releases/` liste les publications figées : Data Packages Frictionless (schémas, dictionnaire,
empreintes SHA-256, notes de version, citation).

**Cache.** Réponses avec `ETag` ; renvoyer `If-None-Match` donne 304 si rien n'a changé.
CORS : lecture (GET, HEAD, OPTIONS) depuis toute origine, `If-None-Match` autorisé en pré-vérification.
"""


def _columns(header):
    return ", ".join(f"`{name}`" for name in header)


def _snippets() -> str:
    blocks = [("python", snippets.PANDAS), ("r", snippets.R), ("sh", snippets.GDAL)]
    return "\n".join(f"```{language}\n{snippets.for_site(code)}```\n" for language, code in blocks)


def describe_api(result, generator, request, public):
    trailing = [name for name, _get in CASE_TRAILING]
    fixed = [name for name in case_csv_header() if "__" not in name and name not in trailing]
    indicators = ", ".join(f"`{prefix}__<code>`" for prefix, _codes, _get in CASE_INDICATORS)
    result["info"]["description"] = GUIDE.replace("{snippets}", _snippets()) + f"""
**Colonnes du CSV des cas, dans cet ordre** : {_columns(fixed)}, puis une colonne 0/1 par code de chaque
champ multivalué, dans l'ordre des vocabulaires : {indicators} (vides si le cas n'a aucune valeur pour ce
champ), puis {_columns(trailing)}.

**Colonnes du CSV des outils, dans cet ordre** : {_columns(tool_csv_header())}.

**Tables longues** : facteurs {_columns(long_header("factors"))} ; acteurs {_columns(long_header("stakeholders"))}.
"""
    return result


# The shape of the official codes (upper case; lower case is accepted too), so that a client — and the
# schema fuzzer — knows a malformed code is refused; a well-formed code that does not exist is a 400 too.
CODE_PATTERNS = {
    "region": "^[0-9]{2}$",
    "departement": "^([0-9]{2,3}|2[AB])$",
    "commune": "^([0-9]{5}|2[AB][0-9]{3})$",
    "epci": "^[0-9]{9}$",
}
NOT_EMPTY = {"since", "cases"}  # elsewhere an empty value is the default (no filter, JSON, page 1)
ERROR_REF = {"$ref": "#/components/schemas/Error"}
AUTH_ERRORS = {
    "401": "Authentification requise : en-tête `Authorization: Token <clé>`.",
    "403": "Action non permise à ce compte, ou jeton CSRF manquant (session).",
}


# A case's slug or public identifier, as in the URLs (``CaseViewSet.lookup_value_regex``).
SLUG_PATTERN = "^[-a-zA-Z0-9_]+$"


def refine_parameters(result, generator, request, public):
    """What the generated schema cannot say by itself: code shapes, repeatable filters, required
    instants, the comparison's bounds, and the auth errors of the write endpoints."""
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                name = parameter["name"]
                if parameter["in"] == "query" and name not in NOT_EMPTY:
                    # An empty filter (as an HTML form sends it) is no filter, never an error.
                    parameter["allowEmptyValue"] = True
                if parameter["in"] == "query" and name in CODE_PATTERNS:
                    parameter.update(schema={"type": "array", "items": {"type": "string",
                                                                         "pattern": CODE_PATTERNS[name]}},
                                     style="form", explode=True)
                elif name == "slug" and parameter["in"] == "query":
                    # Identifiers only (the filter refuses anything else with a 400).
                    parameter["schema"] = {"type": "array", "items": {"type": "string", "pattern": SLUG_PATTERN}}
                elif name == "since" and path.endswith("/changes/"):
                    parameter["schema"] = {"type": "string", "format": "date-time"}
                elif name == "cases" and path.endswith("/compare/"):
                    parameter["schema"] = {"type": "array", "minItems": 2, "maxItems": 6, "uniqueItems": True,
                                           "items": {"type": "string", "pattern": SLUG_PATTERN}}
            if any(parameter["name"] == "page" for parameter in operation.get("parameters", [])):
                # Every paginated list: a malformed page is a 400, a page past the last a 404.
                responses = operation.setdefault("responses", {})
                responses.setdefault("400", {"description": "Paramètre invalide (message par paramètre).",
                                             "content": {"application/json": {"schema": ERROR_REF}}})
                responses.setdefault("404", {"description": "Page au-delà de la dernière.",
                                             "content": {"application/json": {"schema": ERROR_REF}}})
            if operation.get("security", [{}]) != [{}] and method in ("get", "post", "put", "patch", "delete"):
                responses = operation.setdefault("responses", {})
                for status, description in AUTH_ERRORS.items():
                    responses.setdefault(status, {"description": description,
                                                  "content": {"application/json": {"schema": ERROR_REF}}})
                if method != "get":
                    responses.setdefault("400", {"description": "Corps invalide (JSON, caractère nul…).",
                                                 "content": {"application/json": {"schema": ERROR_REF}}})
                if "{" in path:
                    responses.setdefault("404", {"description": "Introuvable (ou pas à vous).",
                                                 "content": {"application/json": {"schema": ERROR_REF}}})
    return result
