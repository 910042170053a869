"""OpenAPI hooks (drf-spectacular): only the public API in the schema, and the guide as its description."""

from cases.api.exports import CASE_INDICATORS, case_csv_header, tool_csv_header


def only_public_api(endpoints, **kwargs):
    # The suffixed export routes (cases.csv…) duplicate the documented ``?format=`` of the lists.
    return [(path, regex, method, view) for path, regex, method, view in endpoints
            if path.startswith("/api/v1/") and "{format}" not in path]


GUIDE = """
API ouverte de l'Observatoire de la co-création numérique locale : cas d'usage des
outils numériques de co-création des collectivités françaises, classés sur le continuum de la
co-production (Osborne & Strokosch, 2013). La lecture ne demande aucune clé.

**Conventions.** Codes officiels en texte (INSEE pour communes, départements, régions ; SIREN pour EPCI
et EPT), millésime du COG indiqué (`cog_year`). Dates ISO 8601 ; instants en UTC. Les vocabulaires
contrôlés sont des codes stables dont les libellés français et anglais et les définitions sont donnés par
`/api/v1/vocabularies/`. Pagination : `count`, `next`, `previous`, `results` ; `page_size` ≤ 200. Ordre
par défaut : l'identifiant (`slug`) ; `ordering=title` trie sur le nom public.

**Formats.** JSON partout. `/api/v1/cases/?format=geojson` (ou `/api/v1/cases.geojson`) : FeatureCollection
RFC 7946, coordonnées [longitude, latitude] WGS 84, un Feature par cas (géométrie `null` quand le cas n'a
pas de point public). `?format=csv` (ou `.csv`) pour `cases` et `tools` : UTF-8 sans BOM, séparateur
virgule, une ligne par cas (par outil), cellule vide = inconnu, booléens 1/0. Les exports ne sont pas
paginés et sont diffusés en flux.

**Cas pseudonymisés.** Un cas pseudonymisé n'est connu que par son pseudonyme (`name`) ; son territoire,
sa commune, son département et son EPCI sont `null` (cellules vides) ; ses populations exactes et sa
pointe saisonnière sont toujours `null`. Ses tranches (`*_band`, éventuellement élargies : `50k_200k`…)
et sa région (ou seulement `area` : `metro`, `outremer`) sont celles du contrôle de divulgation, qui
garantit qu'au moins `disclosure_k` collectivités réelles y correspondent ; il n'est placé qu'au point
de sa région publiée. Son site web et les liens de ses outils et sources sont omis. Le filtre
`departement` ne le trouve pas ; le tri `population_city` utilise le bas de sa tranche publiée. Un
ancien identifiant d'un cas devenu pseudonymisé répond 410.

**Erreurs.** JSON `{"detail": …}` ; 400 ajoute `errors` (messages par paramètre) ; 404 : introuvable ou
page au-delà de la dernière ; 429 : trop de requêtes, réessayer après `Retry-After` secondes.

**Cache.** Réponses avec `ETag` ; renvoyer `If-None-Match` donne 304 si rien n'a changé.
CORS : lecture (GET, HEAD, OPTIONS) depuis toute origine.
"""


def _columns(header):
    return ", ".join(f"`{name}`" for name in header)


def describe_api(result, generator, request, public):
    fixed = [name for name in case_csv_header() if "__" not in name]
    indicators = ", ".join(f"`{prefix}__<code>`" for prefix, _codes, _get in CASE_INDICATORS)
    result["info"]["description"] = GUIDE + f"""
**Colonnes du CSV des cas, dans cet ordre** : {_columns(fixed)}, puis une colonne 0/1 par code de chaque
champ multivalué, dans l'ordre des vocabulaires : {indicators} (vides si le cas n'a aucune valeur pour ce
champ).

**Colonnes du CSV des outils, dans cet ordre** : {_columns(tool_csv_header())}.
"""
    return result
