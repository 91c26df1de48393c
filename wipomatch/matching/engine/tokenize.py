"""Tokenisation for lexical matching in the six UN languages (plus Portuguese).

One tokenizer serves every language, because a listing may mix scripts (a Chinese need that
names "PCT", an Arabic offer that quotes "TRIPS") and the declared language is only a hint:

- CJK runs are segmented with jieba in search mode (words plus their dictionary sub-words, so
  "专利审查员" also yields "专利" and "审查"); without jieba, character bigrams are used.
- Arabic is normalised (diacritics and tatweel removed, alef/ya/ta-marbuta/hamza-carrier forms
  folded) and lightly stemmed (Light10-style prefix and suffix stripping), because the same word
  otherwise appears in many written forms ("البراءات", "براءات", "وبراءة").
- Latin and Cyrillic words are lowercased, accents are folded, and a light suffix stemmer
  conflates plural and inflected forms; aggressive stemmers hurt precision on short listings.

Each token keeps the surface form it came from, so explanations can show the words a member
actually wrote rather than stems.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from typing import NamedTuple

__all__ = [
    "Token",
    "clear_cache",
    "common_term",
    "normalize_arabic",
    "prepare",
    "stem",
    "terms",
    "tokenize",
]

# A run is either a block of CJK ideographs or a block of word characters of any other script.
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN_RE = re.compile(rf"[{_CJK}]+|[^\W\d_{_CJK}][^\W_{_CJK}]*", re.UNICODE)
_ARABIC_RE = re.compile(r"[\u0600-\u06ff]")
_CYRILLIC_RE = re.compile(r"[\u0400-\u04ff]")
_CJK_RE = re.compile(rf"[{_CJK}]")
_ARABIC_DIACRITICS_RE = re.compile(r"[\u064b-\u065f\u0670\u0640]")
_ARABIC_FOLD = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي"}
)

# Light10 (Larkey et al. 2007) prefixes and suffixes, written after normalisation (ة → ه).
_AR_PREFIXES = ("وال", "بال", "كال", "فال", "لل", "ال")
_AR_SUFFIXES = ("ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي")

# Russian endings, longest first; one ending is removed when a stem of 4+ letters remains.
_RU_ENDINGS = tuple(
    sorted(
        [
            "иями",
            "ями",
            "ами",
            "иях",
            "ией",
            "ием",
            "ого",
            "его",
            "ому",
            "ему",
            "ыми",
            "ими",
            "ешь",
            "ете",
            "ишь",
            "ите",
            "ают",
            "яют",
            "ует",
            "ых",
            "их",
            "ым",
            "им",
            "ая",
            "яя",
            "ое",
            "ее",
            "ые",
            "ие",
            "ый",
            "ий",
            "ой",
            "ей",
            "ом",
            "ем",
            "ам",
            "ям",
            "ах",
            "ях",
            "ов",
            "ев",
            "ую",
            "юю",
            "ия",
            "ию",
            "ии",
            "ть",
            "ся",
            "а",
            "я",
            "о",
            "е",
            "ы",
            "и",
            "у",
            "ю",
            "ь",
            "й",
        ],
        key=len,
        reverse=True,
    )
)

# Function words that carry no topic. IDF would mostly discount them in BM25, but explanations
# must never show "the" or "的" as a shared phrase, so they are dropped at the source.
_STOPWORDS_RAW = {
    "en": """a about above after all also an and any are as at be been being both but by can
        could do does for from had has have how i if in into is it its more most must need
        needs no not of on or our over per should so some such than that the their them then
        there these they this those through to under up us very was we were what when where
        which while who will with within would you your""",
    "fr": """a afin au aux avec ce ces cet cette comme dans de des du elle en est et etre il
        ils la le les leur leurs mais ne nos notre nous ou par pas plus pour qu que qui sa
        se ses son sont sur un une vos votre vous y aussi ainsi entre dont tres""",
    "es": """a al como con de del el ella en entre es esta estas este estos la las le les lo
        los mas mi mis muy no nos nuestra nuestras nuestro nuestros o para pero por que se
        sin sobre su sus un una unas uno unos y ya tambien cada""",
    "pt": """a ao aos as com da das de do dos e em entre na nas no nos o os ou para pela
        pelas pelo pelos por que se sem sua suas seu seus um uma umas uns tambem""",
    "ru": """а без более бы был была были было в вам во вот все всех вы где да для до его
        ее если есть же за и из или им их к как ко которые который которая которых ли
        мы на над наш наша наше наши не нас нам но о об от по под при с со так также то
        у что чтобы эти это этот эта я""",
    "ar": """في من على الى إلى عن مع هذا هذه ذلك تلك التي الذي الذين ان أن إن كان كانت او أو
        ثم لا ما هو هي نحن هم كل بين قد عند حول خلال اكثر أكثر لدى لدينا منذ الى حتى كما
        و ب ل ف""",
    "zh": """的 了 和 与 及 在 是 我们 我 你 他 她 它 其 这 那 等 为 对 将 有 个 并 也 或 于 以
        中 之 而 被 把 让 从 向 到 及其 以及 一个 一些 这些 那些 目前 进行""",
}


# Very common words that are not function words: they count (a little) for BM25, but a
# suggestion is not explained by both listings saying "year", "new" or "需要". Written as they
# appear in text; compared as index terms. Phrases containing them can still be shown.
_COMMON_RAW = {
    "en": """able across again ago already among another around available based become best
        better currently day days different each early easy end especially etc even every
        example first following four full general get give given go good great help high
        however include includes including interested interest just know large last least
        less like local long look looking low made main make making many may month months
        much need needed new next now number offer offered offering often one only other
        others out own part particular people period place plan possible present provide
        provided provides providing put real recent recently related relevant request
        requested required requires second see seek seeking several short since small
        specific start still support take three time times today together two use used
        using want wants way ways week weeks well whole wish without work working year
        years yet also country countries developing six five seven eight nine ten twenty
        hundred dozen""",
    "fr": """afin ainsi annee annees autre autres avoir besoin bien cadre chaque cours deux
        deja demande depuis dernier derniere differents donc egalement encore ensemble
        etat etre exemple faire fait fois general grand grande jour jours leurs mois moins
        nombre nouveau nouvelle nouveaux nouvelles offre offrons partie pays peut peuvent
        plusieurs possible premier premiere prochain propose proposons quelques semaine
        semaines souhaitons soutien temps tous tout toute toutes travail trois type utiliser
        veut voulons cinq six sept huit neuf dix vingt cent""",
    "es": """ademas ano anos antes apoyo bien buscamos cada caso dia dias dos durante ejemplo
        forma general gran hacer hasta mes meses mismo momento mucho nueva nuevas nuevo
        nuevos numero ofrece ofrecemos otra otras otro otros pais parte poder primer
        primera primero proximo puede pueden queremos semana semanas ser solo tiempo todas
        todo todos trabajo tres tipo usar vez necesitamos necesita cinco seis siete ocho
        nueve diez veinte cien paises""",
    "ru": """более весь вся всё время год года годы году дней день два две других другие
        другой первый первая первые новый новая новые новых нам нужно нужна нужен нужны
        очень один одна одно помощь поддержка хотим хотели можем может могут неделя недели
        месяц месяца месяцев несколько своих свой своя также три часть число работа работы
        сейчас рамках течение пять шесть семь восемь девять десять двадцать стран страны""",
    "ar": """سنة سنوات عام أعوام العام شهر أشهر أسبوع أسابيع يوم أيام جديد جديدة أول الأول الأولى
        ثاني بعض عدة عدد كثير جدا أيضا ايضا نريد نرغب نحتاج نود يمكن يمكننا نقدم نقدمه تقديم دعم
        مساعدة عمل العمل خلال إطار اطار مثل أخرى آخر غير فقط حاليا حالي""",
    "zh": """需要 希望 提供 支持 帮助 进行 开展 相关 方面 工作 问题 情况 主要 已经 可以 能够
        通过 包括 以及 其他 新 年 月 周 日 第一 首先 目前 每年 今年 明年 两 三 一 我国 国家
        项目 计划 方式 时间 内容 具体 有关 重要 更多 很多 许多 不同 各种 经验 能力 面向 机构
        服务 发展中国 发展中国家 国家 四 五 六 七 八 九 十""",
}


def _fold_latin(word: str) -> str:
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def normalize_arabic(word: str) -> str:
    """Fold the written variants of an Arabic word to one form (no stemming)."""
    return _ARABIC_DIACRITICS_RE.sub("", word).translate(_ARABIC_FOLD)


def _stem_arabic(word: str) -> str:
    # Light10: strip a leading "و" (and), then one article/preposition prefix, then suffixes,
    # each only while a stem long enough to stay meaningful remains.
    if len(word) > 3 and word.startswith("و"):
        word = word[1:]
    for prefix in _AR_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 2:
            word = word[len(prefix) :]
            break
    for suffix in _AR_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 2:
            word = word[: -len(suffix)]
    return word


def _stem_russian(word: str) -> str:
    for ending in _RU_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            return word[: -len(ending)]
    return word


def _stem_latin(word: str) -> str:
    # Harman's S-stemmer, which also fits French, Spanish and Portuguese plurals.
    if len(word) <= 3:
        return word
    if word.endswith("ies") and not word.endswith(("eies", "aies")):
        return word[:-3] + "y"
    if word.endswith("es") and not word.endswith(("aes", "ees", "oes")):
        return word[:-1]
    if word.endswith("s") and not word.endswith(("us", "ss", "is")):
        return word[:-1]
    return word


def stem(word: str) -> str:
    """Normalise and lightly stem one non-CJK word, choosing the rules by its script."""
    if _ARABIC_RE.search(word):
        return _stem_arabic(normalize_arabic(word))
    lowered = word.lower()
    if _CYRILLIC_RE.search(lowered):
        return _stem_russian(lowered.replace("ё", "е"))
    return _stem_latin(_fold_latin(lowered))


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    words: set[str] = set()
    for raw in _STOPWORDS_RAW.values():
        for word in raw.split():
            words.add(word)
            if _ARABIC_RE.search(word):
                words.add(normalize_arabic(word))
            else:
                words.add(_fold_latin(word.lower()))
    return frozenset(words)


@lru_cache(maxsize=1)
def _jieba():
    try:
        import jieba
    except ImportError:  # pragma: no cover - jieba is a declared dependency
        return None
    # jieba logs dictionary loading at INFO level on first use; the engine is a library.
    jieba.setLogLevel(logging.WARNING)
    return jieba


def _cjk_words(run: str) -> Iterator[tuple[str, int, int]]:
    """(word, start, end) within the run."""
    jieba = _jieba()
    if jieba is None:
        if len(run) == 1:
            yield run, 0, 1
        for i in range(len(run) - 1):
            yield run[i : i + 2], i, i + 2
        return
    yield from jieba.tokenize(run, mode="search")


class Token(NamedTuple):
    """An index term, the surface text it came from, and where (character offsets)."""

    term: str
    surface: str
    start: int
    end: int


@lru_cache(maxsize=200_000)
def _word_term(word: str) -> str:
    """Index term of one non-CJK word ("" for stopwords and single letters).

    Cached: a catalogue's vocabulary is small next to its number of words.
    """
    lowered = word.lower()
    if _ARABIC_RE.search(word):
        folded = normalize_arabic(lowered)
    elif lowered.isascii():
        folded = lowered
    else:
        folded = _fold_latin(lowered)
    stopwords = _stopwords()
    if folded in stopwords or len(folded) < 2:
        return ""
    term = stem(word)
    return "" if term in stopwords else term


@lru_cache(maxsize=1)
def _common_terms() -> frozenset[str]:
    found: set[str] = set()
    for language, raw in _COMMON_RAW.items():
        for word in raw.split():
            if language == "zh":
                found.add(word)
            else:
                term = _word_term(word)
                if term:
                    found.add(term)
    return frozenset(found)


def common_term(term: str) -> bool:
    """A very common word (index term) that says nothing about a listing's subject."""
    return term in _common_terms() or term in _stopwords()


def tokenize(text: str) -> tuple[Token, ...]:
    """Split text into index terms, keeping each term's surface form and offsets.

    Offsets refer to the text after Unicode NFC composition and removal of Arabic diacritics
    (see `prepare`), which is what explanations quote. Results are cached per text, since the
    same listing is tokenised for indexing, for each query and for each explanation.
    """
    return _tokenize(text or "")


@lru_cache(maxsize=4096)
def _tokenize(text: str) -> tuple[Token, ...]:
    stopwords = _stopwords()
    tokens: list[Token] = []
    for match in _RUN_RE.finditer(prepare(text)):
        run = match.group(0)
        offset = match.start()
        if _CJK_RE.match(run):
            for word, start, end in _cjk_words(run):
                if word.strip() and word not in stopwords:
                    tokens.append(Token(word, word, offset + start, offset + end))
            continue
        term = _word_term(run)
        if term:
            tokens.append(Token(term, run, offset, match.end()))
    return tuple(tokens)


def clear_cache() -> None:
    """Forget cached tokenisations of whole texts (benchmarks use it to measure cold text)."""
    _tokenize.cache_clear()


def prepare(text: str | None) -> str:
    """Compose accents and drop Arabic diacritics: combining marks are not word characters
    for the regex, so vocalised or decomposed words would otherwise be split apart."""
    return _ARABIC_DIACRITICS_RE.sub("", unicodedata.normalize("NFC", text or ""))


def terms(text: str) -> list[str]:
    """Index terms only (for BM25)."""
    return [token.term for token in tokenize(text)]


def terms_uncached(text: str) -> list[str]:
    """`terms` without the per-text cache: what tokenising a listing costs the first time its
    text is seen (benchmarks, where synthetic listings share texts)."""
    return [token.term for token in _tokenize.__wrapped__(text)]
