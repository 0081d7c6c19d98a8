"""The demo: a deterministic, obviously fictional manufacturing population over the real districts and
counties of any prefecture or province.

`population` generates it in chunks, `load` writes it into the database, `accounts` holds the demo logins.
"""
