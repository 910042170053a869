"""Inter-coder agreement: Krippendorff's alpha over the double codings, per vocabulary.

The continuum is ordinal (active < participative < enhanced), the other vocabularies nominal. Only
items coded by two coders or more count; alpha is undefined (None) with fewer than two such items or
when every coder gave the same single value everywhere (no variation to agree on).
Reading, as usual (Krippendorff 2004): alpha ≥ 0.8 reliable; ≥ 0.667 tentative conclusions only.
"""

from dataclasses import dataclass

import krippendorff
import numpy as np

from ..models import Coding
from ..vocabularies import Assessment, CoproductionMode
from .vocabularies import LEVEL_OF_MEASUREMENT, CodingVocabulary

# Numeric codes handed to krippendorff: the continuum's order matters, the others' does not.
VALUE_CODES = {
    CodingVocabulary.CONTINUUM: {mode.value: rank for rank, mode in enumerate(CoproductionMode, start=1)},
    CodingVocabulary.FACTOR: {value: n for n, value in enumerate(Assessment.values, start=1)},
}
RELIABLE, TENTATIVE = 0.8, 0.667


@dataclass(frozen=True)
class Agreement:
    vocabulary: str
    level: str  # "ordinal" | "nominal"
    alpha: float | None
    items: int  # items coded by two coders or more
    coders: int  # distinct coders of those items

    @property
    def reading(self) -> str:
        if self.alpha is None:
            return "undefined"
        return "reliable" if self.alpha >= RELIABLE else "tentative" if self.alpha >= TENTATIVE else "unreliable"


def alpha(rows: list[list[str | None]], vocabulary: str) -> float | None:
    """Alpha of a coders × items table of codes (None: not coded by that coder)."""
    codes = VALUE_CODES[vocabulary]
    data = np.array([[np.nan if v is None else codes[v] for v in row] for row in rows], dtype=float)
    try:
        return float(krippendorff.alpha(reliability_data=data, level_of_measurement=LEVEL_OF_MEASUREMENT[vocabulary],
                                        value_domain=sorted(codes.values())))
    except (ValueError, ZeroDivisionError):
        return None


def agreement(vocabulary: str, codings=None) -> Agreement:
    """Alpha of ``vocabulary`` over ``codings`` (default: every recorded coding)."""
    if codings is None:
        codings = Coding.objects.filter(vocabulary=vocabulary).values_list("item", "coder_id", "value")
    by_item: dict[str, dict] = {}
    for item, coder, value in codings:
        by_item.setdefault(item, {})[coder] = value
    double = {item: values for item, values in by_item.items() if len(values) >= 2}
    coders = sorted({coder for values in double.values() for coder in values})
    level = LEVEL_OF_MEASUREMENT[vocabulary]
    if len(double) < 2:
        return Agreement(vocabulary, level, None, len(double), len(coders))
    items = sorted(double)
    rows = [[double[item].get(coder) for item in items] for coder in coders]
    return Agreement(vocabulary, level, alpha(rows, vocabulary), len(items), len(coders))


def agreement_report() -> list[Agreement]:
    return [agreement(vocabulary) for vocabulary in CodingVocabulary]
