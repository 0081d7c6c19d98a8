"""Industrial operations monitoring (工业运行监测): monthly growth, contributions, 增长面 and early warnings
computed from the enterprises' monthly figures, for any grouping, as of any month."""
