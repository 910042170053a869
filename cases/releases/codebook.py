"""The README of a release: what it is, how to cite it, its licence, notes, and the codebook of every table.

Written in French (the observatory's language), with the English labels of every code beside the French.
"""

from __future__ import annotations

from . import citation, licence


def _size(n: int) -> str:
    return f"{n:,}".replace(",", " ") + " octets"


def _cell(text) -> str:
    return str(text or "").replace("|", "\\|").replace("\n", " ")


def readme(release, data) -> str:
    notes = release.notes
    out = [
        f"# {citation.TITLE}",
        "",
        f"Version **{release.version}**, publiée le {release.created_at.date().isoformat()}.",
        "",
        citation.DESCRIPTION,
        "",
        "Cette publication est figée : ses fichiers ne changeront jamais. Elle contient exactement ce que le site "
        "public montre (un cas pseudonymisé n'y est connu que par son pseudonyme et sa région).",
        "",
        "## Licence",
        "",
        f"{licence.NAME} (Etalab, SPDX `{licence.SPDX}`) : {licence.URL}",
        "",
        f"Réutilisation libre, y compris commerciale, sous réserve de mentionner la source : « {citation.PUBLISHER}, "
        f"version {release.version} ».",
        "",
        "## Citer",
        "",
        citation.apa(release),
        "",
        "```bibtex",
        citation.bibtex(release).rstrip(),
        "```",
        "",
        "Voir aussi `CITATION.cff` et `datacite.json`.",
        "",
        "## Fichiers",
        "",
        "| Fichier | Lignes | Taille | SHA-256 |",
        "|---|---:|---:|---|",
    ]
    for item in data.files:
        rows = data.counts.get(item["name"].removesuffix(".csv"), "")
        out.append(f"| `{item['name']}` | {rows} | {_size(item['size'])} | `{item['sha256']}` |")
    out += ["", "Vérifier un téléchargement : `sha256sum -c SHA256SUMS`. Valider le paquet : "
            "`frictionless validate datapackage.json`.", "", "## Notes de version", ""]
    out.append(f"Publication précédente : {notes['previous']}." if notes.get("previous") else "Première publication.")
    out.append("Les cas sont désignés par leur identifiant public stable (`public_id`, la clé primaire de "
               "`cases.csv`) : un cas renommé est « modifié », pas retiré puis ajouté.")
    for key, label in (("added", "Cas ajoutés"), ("updated", "Cas modifiés"), ("withdrawn", "Cas retirés")):
        ids = notes.get(key, [])
        out.append(f"- {label} ({len(ids)}) : {', '.join(ids) if ids else '—'}")
    out += ["", "## Dictionnaire des données", "",
            "Cellule vide : inconnu (ou non divulgué). Booléens : 1 / 0. Dates ISO 8601, instants en UTC. "
            "Codes officiels en texte : les lire comme des chaînes (`01` n'est pas `1`).", ""]
    for table in data.tables:
        out += [f"### `{table.name}.csv` — {table.title}", "", table.description, "",
                f"Clé primaire : `{', '.join(table.primary_key)}`."]
        for fk in table.foreign_keys:
            ref = fk["reference"]
            out.append(f"Clé étrangère : `{', '.join(fk['fields'])}` → `{ref['resource']}.{', '.join(ref['fields'])}`.")
        out += ["", "| Colonne | Type | Description | Codes |", "|---|---|---|---|"]
        for f in table.fields:
            codes = f"voir « {f.vocabulary} »" if f.vocabulary else ""
            out.append(f"| `{f.name}` | {f.type} | {_cell(f.description)} | {codes} |")
        out.append("")
    out += ["## Vocabulaires", "", "Chaque code avec son libellé français puis anglais "
            "(aussi dans `vocabularies.csv`).", ""]
    for key, codes in data.vocabularies.items():
        out += [f"### {key}", "", "| Code | Français | English |", "|---|---|---|"]
        out += [f"| `{c['code']}` | {_cell(c['label_fr'])} | {_cell(c['label_en'])} |" for c in codes]
        out.append("")
    return "\n".join(out)
