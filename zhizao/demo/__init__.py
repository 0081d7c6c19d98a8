"""The demo city: a deterministic, obviously fictional manufacturing population for Qingdao's real districts.

`population` generates it in chunks, `load` writes it into the database, `accounts` holds the demo logins.
"""
