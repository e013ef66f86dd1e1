"""Text as the matcher compares it: diacritics and case removed, split into words.

"Ideeën pitchen" and "ideeen PITCHEN" give the same words; "KPI's" gives "kpi s". Normalising a word is
memoised, because the same few thousand words recur in every record.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

WORD = re.compile(r"[^\W_]+", re.UNICODE)

#: Dutch and English words that carry no meaning for matching.
STOPWORDS = frozenset(
    """
a an and are as at be by for from has have in into is it its of on or that the their this to was were
will with we our you your not but can more most also than then there these those which who how what when
de het een en of in op te van voor met door aan bij als is zijn wordt worden dat die dit deze er om uit
naar ook niet maar meer dan tot over onder zo zoals kan kunnen hun haar hij zij wij we je u ze wat wie hoe
waar waarbij waarin hierbij daarbij daarvoor binnen tussen tegen zonder via per ons onze jouw uw elk elke
""".split()
)


@lru_cache(maxsize=200_000)
def fold(word: str) -> str:
    """One word without diacritics, lowercased (casefold)."""
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def words(text: str) -> list[str]:
    """The words of a text as they stand (for reporting what matched)."""
    return WORD.findall(text)


def tokens(text: str) -> list[str]:
    """The folded words of a text, in order."""
    return [fold(w) for w in WORD.findall(text)]


def is_acronym(label: str) -> bool:
    """A short all-capitals label (VNG, TRL, EC): matched only as written, never folded or fuzzy."""
    stripped = label.replace("'s", "").replace("’s", "")
    return 2 <= len(stripped) <= 5 and stripped.isalpha() and stripped.isupper()
