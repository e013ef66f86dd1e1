"""Build the graph: ontology + curated data + OWL-RL inferences, as one Dataset of named graphs.

The build is deterministic (same input, same output) and cached by a hash of its inputs, so that the
service starts from the cached N-Quads instead of reasoning again at every start.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from rdflib import Dataset, Graph
from rdflib.util import guess_format

from .config import Settings
from .curated import read_curated
from .errors import UserError
from .iri import ONTOLOGY_IRI, VOCAB_NS, IriScheme
from .linking.vocabulary import FILE_NAME as VOCABULARY_FILE
from .linking.vocabulary import vocabulary_graph
from .namespaces import bind_prefixes
from .publication import publication_dataset
from .reasoning import infer

#: File suffix -> rdflib format. Quad formats keep the named graphs; triple formats give their union.
FORMATS = {
    ".ttl": "turtle",
    ".nt": "nt",
    ".jsonld": "json-ld",
    ".rdf": "xml",
    ".trig": "trig",
    ".nq": "nquads",
}
QUAD_FORMATS = {"trig", "nquads", "json-ld"}


def build_graph(settings: Settings, reason: bool = True) -> Dataset:
    """Load ontology and data, and (unless ``reason`` is false) add the OWL-RL inferences."""
    iris = IriScheme(settings.base_iri)
    ds = publication_dataset(read_curated(Path(settings.data_dir)), iris)
    vocabulary = Path(settings.data_dir) / VOCABULARY_FILE
    if vocabulary.exists():  # our key phrases and synonyms, published for SPARQL users and /reconcile
        additions = ds.graph(iris.graph("additions"))
        for triple in vocabulary_graph(iris, vocabulary):
            additions.add(triple)
    ontology = ds.graph(iris.graph("ontology"))
    ontology.parse(Path(settings.ontology_dir) / "dsih.ttl", format="turtle")
    if reason:
        inferred = ds.graph(iris.graph("inferred"))
        for triple in infer(union_graph(ds), keep=(iris.base + "/", VOCAB_NS, ONTOLOGY_IRI)):
            inferred.add(triple)
    bind_prefixes(ds, iris.base)
    return ds


def union_graph(ds: Dataset) -> Graph:
    """All named graphs' triples in one Graph (for validation and triple serialisations)."""
    union = Graph()
    for s, p, o, _g in ds.quads((None, None, None, None)):
        union.add((s, p, o))
    for prefix, ns in ds.namespaces():
        union.bind(prefix, ns, override=True)
    return union


def serialise(ds: Dataset, fmt: str) -> str:
    """Deterministic text: N-Quads and N-Triples sorted line by line, others as rdflib writes them."""
    if fmt in ("nquads", "nt"):
        text = (ds if fmt == "nquads" else union_graph(ds)).serialize(format=fmt)
        return "".join(sorted(set(text.splitlines(keepends=True)))) if text else ""
    if fmt in QUAD_FORMATS:
        return ds.serialize(format=fmt)
    return union_graph(ds).serialize(format=fmt)


def write_graph(ds: Dataset, path: Path) -> None:
    """Write the graph in the format its file suffix names."""
    path = Path(path)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise UserError(f"Cannot tell the format of {path.name}: use one of {', '.join(FORMATS)}.")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(serialise(ds, fmt), encoding="utf-8")


#: The modules whose code decides what the build writes (other modules may change without a rebuild).
BUILD_MODULES = (
    "curated.py", "publication.py", "annotations.py", "reasoning.py", "graph.py", "iri.py", "namespaces.py",
    "linking/vocabulary.py",
)


def input_digest(settings: Settings) -> str:
    """Hash of everything the build reads, so a cached build is reused only while inputs are unchanged."""
    digest = hashlib.sha256(settings.base_iri.encode())
    package = Path(__file__).parent
    inputs = [package / name for name in BUILD_MODULES]
    for root in (Path(settings.data_dir), Path(settings.ontology_dir)):
        inputs += sorted(p for p in root.rglob("*") if p.suffix in {".yaml", ".ttl"} and "livingin" not in p.parts)
    for path in inputs:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def cached_build(settings: Settings) -> Path:
    """The built graph as an N-Quads file, built now only if the inputs changed since the last build."""
    cache = Path(settings.cache_dir)
    path = cache / f"dsih-{input_digest(settings)}.nq"
    if not path.exists():
        cache.mkdir(parents=True, exist_ok=True)
        # each process writes its own file and renames it into place: concurrent builds never mix
        part = cache / f".{path.stem}.{os.getpid()}.part.nq"
        write_graph(build_graph(settings), part)
        part.replace(path)
    return path


def load_file(path: Path) -> Dataset:
    """Parse an RDF file into a Dataset (format from the suffix); a parse error is the user's."""
    fmt = guess_format(str(path)) or FORMATS.get(Path(path).suffix.lower())
    ds = Dataset()
    try:
        ds.parse(path, format=fmt)
    except FileNotFoundError:
        raise UserError(f"{path}: file not found.") from None
    except Exception as exc:  # rdflib's parsers raise many unrelated types
        raise UserError(f"{path}: could not be parsed as {fmt}: {exc}") from None
    return ds
