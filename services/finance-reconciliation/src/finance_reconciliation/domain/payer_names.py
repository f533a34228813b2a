"""Payer and customer names as matching compares them: lower case, no punctuation or spaces, the
company suffix cut (宁波华晨塑料制品有限公司 and "宁波华晨塑料制品" are one payer), then rapidfuzz's ratio.

Not lead-routing's duplicate key (lead_routing/domain/duplicates.py `name_key`): that one keeps case, cuts
only the Chinese legal forms and reads other punctuation; the two answer different questions."""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz import fuzz

# Longest first, so 股份有限公司 goes before 有限公司.
COMPANY_SUFFIXES = sorted(
    ["股份有限公司", "有限责任公司", "有限公司", "集团股份有限公司", "集团有限公司", "集团", "股份公司",
     "分公司", "公司", "厂", "co., ltd.", "co.,ltd.", "co. ltd", "co ltd", "ltd.", "ltd", "inc.", "inc",
     "limited", "corp.", "corporation", "group"],
    key=len, reverse=True,
)
_PUNCT = re.compile(r"[\s()（）\[\]【】,，.。·\-_/]+")
# The suffixes as a normalised name ends with them (punctuation gone), worked out once.
_SUFFIX_KEYS = [_PUNCT.sub("", suffix) for suffix in COMPANY_SUFFIXES]


@lru_cache(maxsize=65_536)
def normalise_name(name: str) -> str:
    """Lower case, no punctuation or spaces, company suffixes cut (repeatedly: 某某集团有限公司 → 某某)."""
    s = _PUNCT.sub("", name.strip().lower())
    cut = True
    while cut and s:
        cut = False
        for key in _SUFFIX_KEYS:
            if s.endswith(key) and len(s) > len(key):
                s, cut = s[: -len(key)], True
                break
    return s


def name_score(a: str, b: str, cutoff: float = 0) -> float:
    return fuzz.ratio(normalise_name(a), normalise_name(b), score_cutoff=cutoff)
