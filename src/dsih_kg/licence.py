"""The licence of the data, said once and used everywhere: footer, VoID, data documents, schema.org.

The code is Apache-2.0 (pyproject.toml). The data we made, the graph's structure, the ontology and the
``additions`` graph (English titles, summaries, labels, reasons of cross-level links), is CC BY 4.0, as
the ontology already states. The publication's own words (the ``publication`` graph: Dutch titles, lesson
texts, recommendations) are quoted from it: the publication states no licence, so we grant none for them
and say so; their rights stay with its authors, the seven DSIH partners.
"""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

#: The licence of the data we made (and of the ontology, which says so itself).
LICENCE = "https://creativecommons.org/licenses/by/4.0/"
LICENCE_NAME = "CC BY 4.0"
#: The licence of the software.
CODE_LICENCE = "https://www.apache.org/licenses/LICENSE-2.0"
CODE_LICENCE_NAME = "Apache-2.0"

RIGHTS = {
    "en": (
        "The graph's structure, the ontology and everything in the additions graph (English titles, "
        "summaries, labels, reasons of cross-level links) are licensed CC BY 4.0 by the dsih-kg contributors. "
        "The publication's own text (graph 'publication': Dutch titles, lesson texts, recommendations) is "
        "quoted from 'Dutch Societal Innovation Hub (DSIH) - Geleerde lessen en inzichten'; the publication "
        "states no licence, so its rights remain with its authors, the DSIH partners, and no licence is "
        "granted for it here."
    ),
    "nl": (
        "De structuur van de graaf, de ontologie en alles in de graaf 'additions' (Engelse titels, "
        "samenvattingen, labels, redenen van verbindingen tussen niveaus) vallen onder CC BY 4.0 van de "
        "dsih-kg-bijdragers. De eigen tekst van de publicatie (graaf 'publication': Nederlandse titels, "
        "lesteksten, aanbevelingen) is geciteerd uit 'Dutch Societal Innovation Hub (DSIH) - Geleerde lessen "
        "en inzichten'; de publicatie vermeldt geen licentie, dus de rechten blijven bij de auteurs, de "
        "DSIH-partners, en hier wordt er geen licentie voor gegeven."
    ),
}


def add_licence(graph: Graph, subject: URIRef) -> None:
    """State on ``subject`` (a dataset or a data document) the licence and what it does not cover."""
    graph.bind("dcterms", DCTERMS)
    graph.add((subject, DCTERMS.license, URIRef(LICENCE)))
    for lang, text in RIGHTS.items():
        graph.add((subject, DCTERMS.rights, Literal(text, lang=lang)))
