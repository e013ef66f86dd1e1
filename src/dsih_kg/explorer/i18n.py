"""Interface strings in Dutch and English, and how a request picks its language.

The language comes from ``?lang=``, then the ``lang`` cookie (set by ``/lang/<code>``), then the
browser's Accept-Language, then Dutch (the publication's language). Labels from the graph follow the
same choice with a fallback to the other language (see labels.py).
"""

from __future__ import annotations

from collections.abc import Iterable

from .strings import PAGE_STRINGS, link_kind_name  # noqa: F401  (link_kind_name is part of this API)

LANGUAGES = ("nl", "en")
DEFAULT_LANGUAGE = "nl"
COOKIE = "lang"

STRINGS: dict[str, tuple[str, str]] = {
    # key: (Dutch, English)
    "site_title": ("DSIH geleerde lessen", "DSIH lessons learned"),
    "site_subtitle": (
        "Kennisgraaf van de Dutch Societal Innovation Hub",
        "Knowledge graph of the Dutch Societal Innovation Hub",
    ),
    "nav_home": ("Lessen", "Lessons"),
    "nav_search": ("Zoeken", "Search"),
    "nav_query": ("SPARQL", "SPARQL"),
    "nav_language": ("Taal", "Language"),
    "skip": ("Naar de inhoud", "Skip to content"),
    "search_placeholder": ("Zoek in lessen, instrumenten, thema's…", "Search lessons, instruments, themes…"),
    "search_button": ("Zoek", "Search"),
    "search_results_for": ("Resultaten voor", "Results for"),
    "search_none": ("Niets gevonden.", "Nothing found."),
    "search_hint": (
        "Zoek op woorden uit titels, teksten en namen, in het Nederlands of Engels.",
        "Search words from titles, texts and names, in Dutch or English.",
    ),
    "results_count": ("resultaten", "results"),
    "home_intro_title": ("Over de publicatie", "About the publication"),
    "home_grid_title": ("Lessen per niveau en categorie", "Lessons by level and category"),
    "home_grid_help": (
        "Elke cel van de honingraat is een categorie op een niveau, met het aantal lessen.",
        "Each cell of the honeycomb is a category on one level, with its number of lessons.",
    ),
    "home_partners": ("Partners", "Partners"),
    "home_themes": ("Thema's", "Themes"),
    "home_levels": ("Niveaus", "Levels"),
    "lessons_word": ("lessen", "lessons"),
    "lesson_word": ("les", "lesson"),
    "level": ("Niveau", "Level"),
    "category": ("Categorie", "Category"),
    "position": ("Positie", "Position"),
    "position_value": (
        "les {order} van {count} in {category} ({level})",
        "lesson {order} of {count} in {category} ({level})",
    ),
    "page": ("pagina", "page"),
    "text": ("Tekst", "Text"),
    "summary": ("Samenvatting (vertaling van dit project)", "Summary (written for this graph)"),
    "recommendations": ("Aanbevelingen", "Recommendations"),
    "no_text": (
        "De publicatie geeft voor deze les geen tekst.",
        "The publication gives no text for this lesson.",
    ),
    "text_language_note": ("", "The text is the publication's, in Dutch."),
    "instruments": ("Instrumenten", "Instruments"),
    "themes": ("Thema's", "Themes"),
    "helix_actors": ("Helixactoren", "Helix actors"),
    "helix_models": ("Helixmodellen", "Helix models"),
    "arenas": ("Transitiearena's", "Transition arenas"),
    "works": ("Geciteerde werken", "Cited works"),
    "organisations": ("Organisaties", "Organisations"),
    "people": ("Personen", "People"),
    "initiatives": ("Initiatieven", "Initiatives"),
    "concepts": ("Begrippen", "Concepts"),
    "urls": ("Webpagina's", "Web pages"),
    "across_levels": ("Over de niveaus heen", "Across levels"),
    "across_levels_help": (
        "Lessen op andere niveaus die hetzelfde idee verder dragen, met de reden.",
        "Lessons on other levels that carry the same idea further, with the reason.",
    ),
    "across_none": ("Geen verbindingen met andere niveaus.", "No links to other levels."),
    "reason": ("Reden", "Reason"),
    "previous": ("Vorige", "Previous"),
    "next": ("Volgende", "Next"),
    "in_category": ("in deze categorie", "in this category"),
    "linked_records": ("Gekoppelde externe records", "Linked external records"),
    "linked_records_help": (
        "Records uit andere bronnen (zoals Living-in.eu) die naar deze bron verwijzen, "
        "met score en herkomst van de koppeling.",
        "Records from other sources (such as Living-in.eu) that point here, with the score and source of each link.",
    ),
    "linked_records_shown": (
        "De {shown} met de hoogste score van {total}; alle staan in de linkset-grafen (SPARQL).",
        "The {shown} best scored of {total}; all of them are in the linkset graphs (SPARQL).",
    ),
    "open_sparql": ("Open in SPARQL", "Open in SPARQL"),
    "open_graph": ("Bekijk als netwerk", "View as network"),
    "formats": ("Als data", "As data"),
    "properties": ("Eigenschappen", "Properties"),
    "inbound": ("Verwijzingen hierheen", "Referenced by"),
    "inferred": ("Afgeleid (door redeneren)", "Inferred (by reasoning)"),
    "type": ("Soort", "Type"),
    "description": ("Beschrijving", "Description"),
    "not_found_title": ("Niet gevonden", "Not found"),
    "not_found_text": (
        "Deze pagina of bron bestaat niet in de graaf.",
        "This page or resource is not in the graph.",
    ),
    "error_title": ("Fout", "Error"),
    "query_title": ("SPARQL-query's", "SPARQL queries"),
    "query_help": (
        "Schrijf een query of kies een voorbeeld. De query's draaien op het eigen endpoint van deze dienst.",
        "Write a query or pick an example. Queries run on this service's own endpoint.",
    ),
    "examples": ("Voorbeelden", "Examples"),
    "query_nojs": (
        "De query-editor heeft JavaScript nodig. Zonder JavaScript kun je het endpoint direct aanroepen:",
        "The query editor needs JavaScript. Without it you can call the endpoint directly:",
    ),
    "run": ("Uitvoeren", "Run"),
    "graph_title": ("Netwerk rond", "Network around"),
    "graph_help": (
        "Klik op een knoop om ernaartoe te gaan. Kleur = niveau.",
        "Click a node to go there. Colour = level.",
    ),
    "graph_nojs": (
        "Het netwerk heeft JavaScript nodig; hieronder staan dezelfde verbindingen als lijst.",
        "The network view needs JavaScript; the same connections are listed below.",
    ),
    "other": ("overig", "other"),
    "lessons_in_cell": ("Lessen", "Lessons"),
    "all_lessons": ("Alle lessen", "All lessons"),
    "back_home": ("Terug naar de honingraat", "Back to the honeycomb"),
    "more": ("meer", "more"),
    "source_graph": ("bron", "source"),
    "language_switch": ("English", "Nederlands"),
    "footer": (
        "Gebaseerd op de publicatie ‘Dutch Societal Innovation Hub (DSIH) — Geleerde lessen en inzichten’. "
        "Engelse teksten zijn vertalingen van dit project.",
        "Based on the publication ‘Dutch Societal Innovation Hub (DSIH) — Geleerde lessen en inzichten’. "
        "English texts are translations made for this graph.",
    ),
}

STRINGS.update(PAGE_STRINGS)

def translate(key: str, lang: str, **values: object) -> str:
    """The interface string ``key`` in ``lang``; unknown keys come back as the key, so they show."""
    pair = STRINGS.get(key)
    if pair is None:
        return key
    text = pair[1] if lang == "en" else pair[0]
    return text.format(**values) if values else text


def choose_language(query_value: str | None, cookie_value: str | None, accept: Iterable[str]) -> str:
    """The language of one request: explicit choice, then remembered choice, then the browser's."""
    for candidate in (query_value, cookie_value):
        if candidate in LANGUAGES:
            return candidate
    for tag in accept:
        primary = tag.split("-")[0].lower()
        if primary in LANGUAGES:
            return primary
    return DEFAULT_LANGUAGE


def other_language(lang: str) -> str:
    return "en" if lang == "nl" else "nl"


# ---------------------------------------------------------------- search that forgives, accessibility, licence
STRINGS.update(
    {
        "search_cut": (
            "Je zoekvraag was langer dan {n} tekens en is ingekort.",
            "Your search was longer than {n} characters and has been shortened.",
        ),
        "search_corrected": ("Bedoelde je", "Did you mean"),
        "search_corrected_none": ("niets gevonden voor ‘{q}’", "nothing found for ‘{q}’"),
        "search_partial": (
            "Geen enkel resultaat bevat alle woorden; dit zijn de resultaten met de meeste.",
            "No result has every word; these have most of them.",
        ),
        "search_imported": ("geïmporteerd record", "imported record"),
        "suggestions_count": (
            "{n} suggesties; kies met de pijltjestoetsen",
            "{n} suggestions; choose with the arrow keys",
        ),
        "suggestions_none": ("Geen suggesties", "No suggestions"),
        "nav_menu": ("Menu", "Menu"),
        "site_description": (
            "De 62 geleerde lessen van de Dutch Societal Innovation Hub op micro-, meso- en macroniveau, als "
            "kennisgraaf: lessen, instrumenten, thema's en hun verbanden over de niveaus heen.",
            "The 62 lessons learned of the Dutch Societal Innovation Hub on the micro, meso and macro level as a "
            "knowledge graph: lessons, instruments, themes and their links across levels.",
        ),
        "licence_data": (
            "Data van dit project (structuur, ontologie, vertalingen, verbanden):",
            "Data made for this graph (structure, ontology, translations, links):",
        ),
        "licence_publication": (
            "De tekst van de publicatie is geciteerd; de publicatie vermeldt geen licentie, de rechten blijven bij "
            "de DSIH-partners.",
            "The publication's text is quoted; the publication states no licence, its rights remain with the DSIH "
            "partners.",
        ),
        "licence_code": ("Software:", "Software:"),
        "cite_title": ("Citeer deze les", "Cite this lesson"),
        "cite_iri": ("Vaste identifier (IRI)", "Persistent identifier (IRI)"),
        "copy": ("Kopieer", "Copy"),
        "copy_iri": ("Kopieer de IRI", "Copy the IRI"),
        "copy_apa": ("Kopieer APA", "Copy APA"),
        "copy_bibtex": ("Kopieer BibTeX", "Copy BibTeX"),
        "copied": ("Gekopieerd", "Copied"),
        "did_you_mean": ("Bedoelde je:", "Did you mean:"),
        "query_editor": ("SPARQL-query", "SPARQL query"),
        "query_endpoint": ("SPARQL-endpoint", "SPARQL endpoint"),
        "query_rows": ("Rijen per pagina", "Rows per page"),
        "query_filter": ("Filter de resultaten", "Filter the results"),
    }
)
