"""Composite indicators and MCDA: pure functions over numpy arrays, shared by evaluation and the index.

``matrix`` is alternatives (units) × criteria (indicators); ``weights`` one per criterion (divided by their
sum, never refused for not summing to 1); ``types`` 1 benefit / −1 cost (COINr calls them directions).
Every function raises `zhizao.errors.InvalidInput` with a plain message on bad input. See docs/composite.md.
"""

from zhizao.composite.aggregate import (
    aggregate,
    arithmetic_mean,
    copeland,
    copeland_from_outranking,
    generalised_mean,
    geometric_mean,
    harmonic_mean,
    outranking_matrix,
)
from zhizao.composite.hierarchy import aggregate_hierarchy
from zhizao.composite.impute import denominate, impute_column, impute_group, impute_previous, impute_row_mean
from zhizao.composite.mcda import (
    CoprasResult,
    PrometheeResult,
    TopsisResult,
    VikorResult,
    WaspasResult,
    copras,
    promethee2,
    rank_descending,
    topsis,
    vikor,
    waspas,
)
from zhizao.composite.normalise import (
    borda,
    dist_to_max,
    dist_to_target,
    frac_max,
    goalposts,
    linear_max,
    minmax,
    percentile_rank,
    rank,
    sum_share,
    vector,
    zscore,
)
from zhizao.composite.treat import kurtosis, skewness, treat, treat_column
from zhizao.composite.weights import (
    AHPResult,
    ahp_weights,
    critic_weights,
    entropy_weights,
    merec_weights,
    std_weights,
)

__all__ = [
    "AHPResult",
    "CoprasResult",
    "PrometheeResult",
    "TopsisResult",
    "VikorResult",
    "WaspasResult",
    "aggregate",
    "aggregate_hierarchy",
    "ahp_weights",
    "arithmetic_mean",
    "borda",
    "copeland",
    "copeland_from_outranking",
    "copras",
    "critic_weights",
    "denominate",
    "dist_to_max",
    "dist_to_target",
    "entropy_weights",
    "frac_max",
    "generalised_mean",
    "geometric_mean",
    "goalposts",
    "harmonic_mean",
    "impute_column",
    "impute_group",
    "impute_previous",
    "impute_row_mean",
    "kurtosis",
    "linear_max",
    "merec_weights",
    "minmax",
    "outranking_matrix",
    "percentile_rank",
    "promethee2",
    "rank",
    "rank_descending",
    "skewness",
    "std_weights",
    "sum_share",
    "topsis",
    "treat",
    "treat_column",
    "vector",
    "vikor",
    "waspas",
    "zscore",
]
