"""WIPO Match matching engine: pure Python and numpy, importable without Django.

See docs/matching.md. The public API:

    from wipomatch.matching.engine import EngineConfig, MatchIndex, NeedDoc, OfferDoc
"""

from .config import ConfigError, EngineConfig
from .documents import NeedDoc, OfferDoc, document_text
from .embedding import Embedder, HashingEmbedder, USEEmbedder, embed_documents
from .explain import Eligibility, Explanation, MatchedPassage, MatchedPhrase
from .geography import Geography, load_geography
from .index import EngineError, MatchIndex, Ranking, Suggestion

__all__ = [
    "ConfigError",
    "Eligibility",
    "Embedder",
    "EngineConfig",
    "EngineError",
    "Explanation",
    "Geography",
    "HashingEmbedder",
    "MatchIndex",
    "MatchedPassage",
    "MatchedPhrase",
    "NeedDoc",
    "OfferDoc",
    "Ranking",
    "Suggestion",
    "USEEmbedder",
    "document_text",
    "embed_documents",
    "load_geography",
]
