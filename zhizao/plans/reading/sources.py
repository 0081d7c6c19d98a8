from pathlib import Path


def read_source(path: Path) -> str:
    return path.read_text(encoding="utf-8")
