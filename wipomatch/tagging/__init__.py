"""Suggestion of thematic areas, IP areas and SDGs from a listing's text, in the six UN languages.

Pure Python and numpy (plus the engine's embedder and tokenizer): importable without Django.
See docs/tagging.md for the method and its measured accuracy.
"""

from .labels import LANGUAGES, normalise_language
from .model import MAX_TEXT_LENGTH, TagSuggester, TagSuggestions, get_suggester

__all__ = [
    "LANGUAGES",
    "MAX_TEXT_LENGTH",
    "TagSuggester",
    "TagSuggestions",
    "get_suggester",
    "normalise_language",
]
