"""What records can be linked to (and reconciled against): lessons, instruments, mission themes, helix
actor types, readiness scales and organisations, with their labels and texts, read from the store."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ..namespaces import DSIH
from ..stores.base import Store

#: kind -> class, in the order that decides an entity's kind when it has several classes.
KINDS: dict[str, str] = {
    "readiness": str(DSIH.ReadinessScale),
    "lesson": str(DSIH.Lesson),
    "instrument": str(DSIH.Instrument),
    "theme": str(DSIH.MissionTheme),
    "helix-actor": str(DSIH.HelixActorType),
    "organisation": str(DSIH.Organisation),
    "arena": str(DSIH.TransitionArena),
}
KIND_NAMES = {
    "readiness": ("volwassenheidsschaal", "readiness scale"),
    "lesson": ("les", "lesson"),
    "instrument": ("instrument", "instrument"),
    "theme": ("missiethema", "mission theme"),
    "helix-actor": ("helixactortype", "helix actor type"),
    "organisation": ("organisatie", "organisation"),
    "arena": ("transitiearena", "transition arena"),
}
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
LABELS = {
    RDFS_LABEL: "label",
    SKOS + "prefLabel": "label",
    DCT + "title": "label",
    SKOS + "altLabel": "altlabel",
    SKOS + "hiddenLabel": "keyphrase",
    str(DSIH.euMission): "altlabel",
}
TEXTS = {str(DSIH.text), str(DSIH.summary), str(DSIH.description)}

_QUERY = """
SELECT ?s ?class ?p ?o WHERE {
  VALUES ?class { %s }
  VALUES ?p { %s }
  ?s a ?class ; ?p ?o .
}"""


_CONTEXT_QUERY = """
SELECT ?s ?level ?topic WHERE {
  ?s a <%s> .
  { ?s <%s> ?level } UNION { ?s <%s> ?c . ?c <%s> ?topic }
}"""


@dataclass
class Target:
    """A thing records may link to; ``labels`` are (text, language or '', 'label' | 'altlabel' |
    'keyphrase'); a lesson also has its ``level`` IRI and the labels of its topic ``concepts``."""

    iri: str
    kind: str
    classes: set[str] = field(default_factory=set)
    labels: list[tuple[str, str, str]] = field(default_factory=list)
    texts: list[tuple[str, str]] = field(default_factory=list)
    level: str = ""
    concepts: list[tuple[str, str]] = field(default_factory=list)

    def name(self, lang: str = "en") -> str:
        """The best label in ``lang``, else in Dutch, else any."""
        for wanted in (lang, "nl", "en", ""):
            for text, language, kind in self.labels:
                if kind == "label" and language == wanted:
                    return text
        return self.labels[0][0] if self.labels else self.iri

    def description(self, lang: str = "en") -> str:
        for wanted in (lang, "nl", "en", ""):
            for text, language in self.texts:
                if language == wanted:
                    return text
        return ""


def load_targets(store: Store) -> list[Target]:
    """Every target with its labels and texts (one query)."""
    classes = " ".join(f"<{c}>" for c in KINDS.values())
    props = " ".join(f"<{p}>" for p in (*LABELS, *TEXTS))
    result = store.query(_QUERY % (classes, props))
    found: dict[str, Target] = {}
    seen: dict[str, set] = defaultdict(set)
    for row in result.rows:
        iri, cls, prop, obj = str(row["s"]), str(row["class"]), str(row["p"]), row["o"]
        target = found.get(iri)
        if target is None:
            target = found[iri] = Target(iri=iri, kind="")
        target.classes.add(cls)
        text = str(obj)
        lang = getattr(obj, "language", None) or ""
        key = (prop, text, lang)
        if key in seen[iri]:
            continue
        seen[iri].add(key)
        if prop in LABELS:
            kind = LABELS[prop]
            if (text, lang, kind) not in target.labels:
                target.labels.append((text, lang, kind))
        else:
            target.texts.append((text, lang))
    _add_lesson_context(store, found)
    for target in found.values():
        target.kind = next(kind for kind, cls in KINDS.items() if cls in target.classes)
        target.labels.sort(key=lambda label: (label[2] != "label", label[1] != "nl", label[0]))
    return sorted(found.values(), key=lambda t: t.iri)


def _add_lesson_context(store: Store, found: dict[str, Target]) -> None:
    """Each lesson's level, and the labels of the concepts it is annotated with (``dsih:concept``)."""
    result = store.query(
        _CONTEXT_QUERY % (DSIH.Lesson, DSIH.level, DSIH.concept, SKOS + "prefLabel")
    )
    for row in result.rows:
        target = found.get(str(row["s"]))
        if target is None:
            continue
        if row.get("level") is not None:
            target.level = str(row["level"])
        topic = row.get("topic")
        if topic is not None:
            entry = (str(topic), getattr(topic, "language", None) or "")
            if entry not in target.concepts:
                target.concepts.append(entry)
