"""Industry chains (链长制) and clusters: chain definitions and their graphs by year, enterprises on nodes,
totals, gaps (缺链 / 弱链), 招商 candidates, the 配套率 proxy, and the cluster ladder."""
