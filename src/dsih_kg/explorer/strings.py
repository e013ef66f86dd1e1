"""Interface strings of the front door, about page, facets, indexes, resource pages, map and graph view
(Dutch, English), and the human names of the kinds of cross-level link. i18n.py merges them in.
"""

from __future__ import annotations

#: dsih:linkKind values -> (Dutch name, English name, Dutch explanation, English explanation)
LINK_KINDS: dict[str, tuple[str, str, str, str]] = {
    "same-idea": (
        "Zelfde idee",
        "Same idea",
        "Eén idee, gezien op twee niveaus.",
        "One idea, seen on two levels.",
    ),
    "carries-further": (
        "Draagt verder",
        "Carries further",
        "De zorg van het lagere niveau groeit door op het hogere.",
        "The lower level's concern grows on the higher level.",
    ),
    "same-instrument": (
        "Zelfde instrument",
        "Same instrument",
        "Beide lessen bevelen hetzelfde instrument aan.",
        "Both lessons recommend the same instrument.",
    ),
}


def link_kind_name(kind: str | None, lang: str) -> str:
    """The human name of a kind of cross-level link; an unknown kind shows as written, dashes as spaces."""
    if not kind:
        return ""
    names = LINK_KINDS.get(kind)
    if names is None:
        return kind.replace("-", " ")
    return names[1] if lang == "en" else names[0]


def link_kind_help(kind: str | None, lang: str) -> str:
    names = LINK_KINDS.get(kind or "")
    if names is None:
        return ""
    return names[3] if lang == "en" else names[2]


PAGE_STRINGS: dict[str, tuple[str, str]] = {
    "readiness_scales": ("Volwassenheidsschalen", "Readiness scales"),
    # menu
    "nav_lessons": ("Lessen", "Lessons"),
    "nav_map": ("Kaart van verbanden", "Map of links"),
    "nav_about": ("Over", "About"),
    "nav_browse": ("Bladeren", "Browse"),
    # front door
    "home_what": (
        "62 geleerde lessen van de Dutch Societal Innovation Hub over missiegedreven innoveren door overheden, "
        "als doorzoekbare kennisgraaf.",
        "62 lessons learned by the Dutch Societal Innovation Hub about mission-driven innovation by governments, "
        "as a knowledge graph you can browse and query.",
    ),
    "home_how": (
        "Kies een cel van de honingraat (niveau × categorie), volg de verbanden tussen de niveaus, of zoek.",
        "Pick a cell of the honeycomb (level × category), follow the links between levels, or search.",
    ),
    "home_map_title": ("Verbanden over de niveaus heen", "Links across levels"),
    "home_map_text": (
        "{n} verbanden tussen lessen op micro-, meso- en macroniveau, elk met een reden.",
        "{n} links between lessons on micro, meso and macro level, each with its reason.",
    ),
    "home_map_button": ("Open de kaart", "Open the map"),
    "home_search_title": ("Zoeken", "Search"),
    "home_advise_title": ("Advies voor je project", "Advice for your project"),
    "home_advise_text": (
        "Beschrijf je project en krijg de lessen die erbij passen, per niveau.",
        "Describe your project and get the lessons that fit it, per level.",
    ),
    "home_browse_title": ("Bladeren per soort", "Browse by kind"),
    "home_about_link": ("Over de publicatie, de data en de bronnen", "About the publication, the data and its sources"),
    # about
    "about_title": ("Over deze kennisgraaf", "About this knowledge graph"),
    "about_publication": ("De publicatie", "The publication"),
    "about_intro_note": (
        "De inleiding van de publicatie, woordelijk.",
        "The publication's introduction, in our English translation.",
    ),
    "about_partners": ("Partners", "Partners"),
    "about_levels": ("Niveaus", "Levels"),
    "about_levels_text": (
        "De lessen staan op drie niveaus die elkaar opvolgen in omvang van het samenwerkingsverband.",
        "The lessons sit on three levels of growing partnership size.",
    ),
    "about_categories": ("Categorieën", "Categories"),
    "about_categories_text": (
        "Per niveau zijn de lessen verdeeld over zes categorieën.",
        "On each level the lessons fall into six categories.",
    ),
    "about_model": ("Het datamodel", "The data model"),
    "about_model_text": (
        "Elke les (dsih:Lesson) heeft een niveau, een categorie, een plaats in de volgorde van de publicatie, "
        "een Nederlandse titel en tekst en de aanbevelingen als geordende lijst. Lessen noemen instrumenten, "
        "werken, organisaties, thema's, helixactoren, transitiearena's en begrippen (SKOS-begrippenschema's "
        "met skos:broader). Verbanden over de niveaus heen (dsih:CrossLevelLink) verbinden twee lessen, met een "
        "soort en een reden. Elke pagina heeft een IRI onder /id/ en een document onder /doc/, ook als Turtle, "
        "JSON-LD en N-Triples; alles is te bevragen via SPARQL.",
        "Every lesson (dsih:Lesson) has a level, a category, a place in the publication's order, a Dutch title "
        "and text, and its recommendations as an ordered list. Lessons name instruments, works, organisations, "
        "themes, helix actor types, transition arenas and concepts (SKOS concept schemes with skos:broader). "
        "Links across levels (dsih:CrossLevelLink) join two lessons, with a kind and a reason. Every page has an "
        "IRI under /id/ and a document under /doc/, also as Turtle, JSON-LD and N-Triples; all of it can be "
        "queried with SPARQL.",
    ),
    "about_sources": ("Waar de data vandaan komt", "Where the data comes from"),
    "about_extraction": (
        "De tekst is uit de pdf van de publicatie gehaald (de ‘extractie’). Titels, teksten, definities en "
        "alles wat de publicatie noemt staan in de graaf ‘publication’, woordelijk; alleen woorden die de "
        "extractie brak zijn hersteld, en elke reparatie staat bij de les (onder ‘over de bron’).",
        "The text was extracted from the publication's PDF (the ‘extraction’). Titles, texts, definitions and "
        "everything the publication names are in the graph ‘publication’, word for word; only words the "
        "extraction broke were repaired, and every repair is listed with its lesson (under ‘about the source’).",
    ),
    "about_ours": (
        "Van dit project, niet van de publicatie, zijn: de Engelse titels, labels en samenvattingen, de "
        "verbanden over de niveaus heen met hun redenen, de annotaties van lessen (helixactoren, arena's, "
        "thema's, begrippen; met een citaat als bewijs) en redactionele notities. Ze staan in de graaf "
        "‘additions’. Wat een redeneerder afleidt staat apart in ‘inferred’; geïmporteerde records (zoals "
        "Living-in.eu) en voorgestelde koppelingen in eigen grafen.",
        "Ours, not the publication's: the English titles, labels and summaries, the links across levels with "
        "their reasons, the annotations of lessons (helix actor types, arenas, themes, concepts; each with a "
        "quote as evidence) and editorial notes. They are in the graph ‘additions’. What a reasoner infers is "
        "kept apart in ‘inferred’; imported records (such as Living-in.eu) and proposed links in graphs of "
        "their own.",
    ),
    "about_principles": ("De bijenkorf als metafoor", "The beehive as metaphor"),
    # facets
    "facets_title": ("Filters", "Filters"),
    "facet_level": ("Niveau", "Level"),
    "facet_category": ("Categorie", "Category"),
    "facet_linked": ("Verbonden met niveau", "Linked to level"),
    "facet_instrument": ("Instrument", "Instrument"),
    "facet_actor": ("Helixactor", "Helix actor type"),
    "facet_arena": ("Transitiearena", "Transition arena"),
    "facet_theme": ("Thema", "Theme"),
    "facet_concept": ("Begrip", "Concept"),
    "facet_more": ("meer", "more"),
    "facet_clear": ("Alle filters wissen", "Clear all filters"),
    "facet_remove": ("Filter weghalen", "Remove filter"),
    "facet_none": ("(nog geen)", "(none yet)"),
    "lessons_found": ("{n} van {total} lessen", "{n} of {total} lessons"),
    "lessons_none": ("Geen les past bij deze filters.", "No lesson fits these filters."),
    "chosen_filters": ("Gekozen", "Chosen"),
    "share_hint": (
        "Het adres van deze pagina bewaart de filters: deel het of zet er een bladwijzer op.",
        "This page's address keeps the filters: share it or bookmark it.",
    ),
    # indexes and resource pages
    "categories": ("Categorieën", "Categories"),
    "levels": ("Niveaus", "Levels"),
    "index_help_instruments": (
        "Methoden, modellen, tools en trainingen die de lessen aanbevelen, met het aantal lessen per niveau.",
        "Methods, models, tools and trainings the lessons recommend, with the number of lessons per level.",
    ),
    "index_help_helix_actors": (
        "Soorten partijen in een helix-samenwerking (overheid, bedrijven, kennisinstellingen, maatschappij).",
        "Kinds of parties in a helix partnership (government, business, knowledge institutions, society).",
    ),
    "index_help_arenas": ("De arena's van transitiemanagement.", "The arenas of transition management."),
    "index_help_themes": ("De maatschappelijke opgaven van de DSIH.", "The societal challenges the DSIH worked on."),
    "index_help_concepts": (
        "Begrippen waar de lessen over gaan; smallere begrippen staan onder hun bredere.",
        "Concepts the lessons are about; narrower concepts sit under their broader ones.",
    ),
    "index_help_organisations": (
        "Organisaties die de publicatie noemt, met de lessen die ze noemen.",
        "Organisations the publication names, with the lessons that name them.",
    ),
    "index_help_categories": ("De zes categorieën van lessen.", "The six categories of lessons."),
    "index_legend": ("aantal lessen per niveau", "number of lessons per level"),
    "index_unused": ("in geen les", "in no lesson"),
    "used_in": ("Gebruikt in lessen", "Used in lessons"),
    "used_in_count": ("{n} lessen", "{n} lessons"),
    "used_in_none": ("Geen les noemt dit (direct).", "No lesson names this (directly)."),
    "used_via": ("via", "via"),
    "evidence": ("Bewijs uit de les", "Evidence from the lesson"),
    "all_these_lessons": ("Filter de lessen hierop", "Filter the lessons by this"),
    "steps": ("Stappen", "Steps"),
    "web_pages": ("Webadressen", "Web addresses"),
    "more_about": ("Verder", "More"),
    "about_source": ("Over de bron", "About the source"),
    "about_source_help": (
        "Curatiegegevens: waar dit in de extractie staat, herstelde woorden, notities en ruwe codes.",
        "Curation metadata: where this sits in the extraction, repaired words, notes and raw codes.",
    ),
    "links_via": ("Verbanden over de niveaus heen via dit", "Links across levels through this"),
    # the map of links
    "map_title": ("Kaart van verbanden over de niveaus heen", "Map of links across levels"),
    "map_help": (
        "Elke lijn verbindt twee lessen op verschillende niveaus. Wijs een les of lijn aan (of tik erop) voor "
        "de soort en de reden; de lijst eronder geeft hetzelfde.",
        "Each line joins two lessons on different levels. Point at (or tap) a lesson or a line for the kind "
        "and the reason; the list below says the same.",
    ),
    "map_shown": ("{n} van {total} verbanden", "{n} of {total} links"),
    "map_filter": ("Filter", "Filter"),
    "map_kind": ("Soort verband", "Kind of link"),
    "map_any": ("alle", "any"),
    "map_apply": ("Toon", "Show"),
    "map_list": ("Alle verbanden als lijst", "All links as a list"),
    "map_pick": (
        "Wijs een les of een lijn aan om de verbanden te zien.",
        "Point at a lesson or a line to see its links.",
    ),
    "map_links_of": ("Verbanden van deze les", "Links of this lesson"),
    "about_link": ("over dit verband", "about this link"),
    "link_kind": ("Soort", "Kind"),
    "link_lessons": ("Verbindt", "Joins"),
    "link_via": ("Via", "Through"),
    # graph view
    "graph_help": (
        "Klik op een knoop om het netwerk daaromheen te tonen; ‘Open pagina’ opent de pagina ervan. "
        "Kleur = niveau, zeshoek = les, stippellijn = verband over de niveaus heen.",
        "Click a node to centre the network on it; ‘Open page’ opens its page. Colour = level, "
        "hexagon = lesson, dashed line = link across levels.",
    ),
    "graph_centre": ("Midden", "Centre"),
    "graph_open": ("Open pagina", "Open page"),
    "graph_zoom_in": ("Inzoomen", "Zoom in"),
    "graph_zoom_out": ("Uitzoomen", "Zoom out"),
    "graph_reset": ("Passend maken", "Fit"),
    "graph_edge_labels": ("Namen van verbindingen tonen", "Show edge names"),
    "graph_order": ("Ook vorige/volgende les tonen", "Also show previous/next lesson"),
    "graph_order_off": ("Zonder vorige/volgende les", "Without previous/next lesson"),
    "legend_lesson": ("les", "lesson"),
    "legend_thing": ("ander ding", "other thing"),
    "legend_across": ("verband over de niveaus heen", "link across levels"),
    "legend_relation": ("andere relatie", "other relation"),
    "graph_selected": ("Gekozen", "Selected"),
}
