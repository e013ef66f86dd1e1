"""Text as the linker compares it: one place for "words".

Words are folded (diacritics and case removed: "Ideeën pitchen" = "ideeen PITCHEN") and reduced to their
Snowball stem in the text's language ("ontmoetingen" ~ "ontmoeten", "meet-ups" ~ "meet-up",
"communities" ~ "community"), by the Dutch and English stemmers of the `snowballstemmer` library; no
suffix rules of our own. A text's language is told cheaply by counting Dutch and English function words.
Folding and stemming are memoised, because the same few thousand words recur in every record.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import snowballstemmer
from bm25s.stopwords import STOPWORDS_DUTCH, STOPWORDS_EN_PLUS

WORD = re.compile(r"[^\W_]+", re.UNICODE)

#: Dutch and English words that carry no meaning for matching: the lists `bm25s` keeps, and a few more.
STOPWORDS = frozenset(STOPWORDS_DUTCH) | frozenset(STOPWORDS_EN_PLUS) | frozenset(
    """
a an and are as at be by for from has have in into is it its of on or that the their this to was were
will with we our you your not but can more most also than then there these those which who how what when
de het een en of in op te van voor met door aan bij als is zijn wordt worden dat die dit deze er om uit
naar ook niet maar meer dan tot over onder zo zoals kan kunnen hun haar hij zij wij we je u ze wat wie hoe
waar waarbij waarin hierbij daarbij daarvoor binnen tussen tegen zonder via per ons onze jouw uw elk elke
all any each other some such only own same so too very s t just should now they them he she him her his
been being do does did had having would could may might must shall about against between through during
before after above below up down out off again further once here why where both few no nor
al alle andere veel weinig nog wel geen ge heeft hebben had was waren werd werden zal zullen zou zouden
moet moeten mag mogen wil willen hier daar toen nu omdat want dus of ofwel zowel noch iets niets men
""".split()
)
#: Function words that tell Dutch from English (and appear in almost every sentence of either).
_DUTCH = frozenset(
    "de het een en van voor met door aan bij is zijn wordt dat die dit deze er om uit naar ook niet maar".split()
)
_ENGLISH = frozenset("the a an and of for with by to is are be that this these from into on at it its not but".split())
_STEMMERS = {"nl": snowballstemmer.stemmer("dutch"), "en": snowballstemmer.stemmer("english")}
LANGUAGES = tuple(_STEMMERS)


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


@lru_cache(maxsize=400_000)
def stem(token: str, lang: str) -> str:
    """The Snowball stem of a folded word in ``lang`` ('nl' or 'en'); numbers and short words as they are."""
    if len(token) <= 3 or not token.isalpha():
        return token
    result = _STEMMERS[lang].stemWord(token)
    # "overheid" must not become the preposition "over": a stem that is a stopword stays the word
    return token if result in STOPWORDS and token not in STOPWORDS else result


def lemmas(text: str, lang: str) -> list[str]:
    """The stems of a text's words in order (stopwords kept, so phrases stay phrases)."""
    return [stem(t, lang) for t in tokens(text)]


def content_lemmas(text: str, lang: str) -> list[tuple[str, str]]:
    """(stem, word as written) of the words that carry meaning: no stopwords, numbers or one-letter words."""
    out = []
    for word in WORD.findall(text):
        token = fold(word)
        if len(token) > 2 and token not in STOPWORDS and not token.isdigit():
            out.append((stem(token, lang), word))
    return out


def language(text: str, default: str = "en") -> str:
    """'nl' or 'en', by which language's function words the text has more of (``default`` on a tie)."""
    found = WORD.findall(text.lower())
    dutch = sum(1 for token in found if token in _DUTCH)
    english = sum(1 for token in found if token in _ENGLISH)
    if dutch == english:
        return default
    return "nl" if dutch > english else "en"


def is_acronym(label: str) -> bool:
    """A short all-capitals label (VNG, TRL, EC): matched only as written, never folded or fuzzy."""
    stripped = label.replace("'s", "").replace("’s", "")
    return 2 <= len(stripped) <= 5 and stripped.isalpha() and stripped.isupper()
