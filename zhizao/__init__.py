"""智造 zhizao: a platform for regional manufacturing policy work."""

__version__ = "0.1.0"
