"""Reference data: regions (GB/T 2260), industries (GB/T 4754-2017), units and their aliases."""
