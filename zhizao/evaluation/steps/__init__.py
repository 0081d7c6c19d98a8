"""Pipeline steps. Each takes the working Ibis table and the context and returns the table with more columns.

select → indicators → benchmark → normalise → weight → aggregate → rank → classify → explain.
New normalisations (z-score, rank, TOPSIS distance) are new entries in `scoring.NORMALISERS`; new
aggregations (geometric mean) are new entries in `aggregate.AGGREGATORS`; neither needs a rewrite.
"""
