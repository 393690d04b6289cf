"""Which eval sets are blind: listed in data/eval/BLIND, one set name a line ("news-heldout5",
"realworld/heldout6"; `#` starts a comment). Analysis scripts (failure causes, …) refuse them, so
a blind set's one official run is not preceded by a look at its failures. A set that has had its
run and is spent leaves the list; nothing else in the code names which sets are blind."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT / "data" / "eval"
LIST = EVAL / "BLIND"


def blind_sets(path: Path | None = None) -> frozenset[str]:
    """The set names the file lists (none when it is missing). The default path is read at call
    time, so a test can point `LIST` at a list of its own."""
    path = path or LIST
    if not path.is_file():
        return frozenset()
    lines = (line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8").splitlines())
    return frozenset(set_name(line) for line in lines if line)


def set_name(name: str | Path) -> str:
    """A set's name as BLIND lists it: "news-heldout5", "data/eval/news-heldout5.jsonl" and its
    absolute path all give "news-heldout5"; "realworld/heldout6.jsonl" gives "realworld/heldout6"."""
    p = Path(name)
    if p.suffix == ".jsonl":
        p = p.with_suffix("")
    for base in (EVAL, Path("data") / "eval"):
        try:
            return (p.resolve() if p.is_absolute() else p).relative_to(base.resolve() if p.is_absolute() else base).as_posix()
        except ValueError:
            continue
    return p.as_posix()


def refused(names: list[str] | tuple[str, ...], path: Path | None = None) -> list[str]:
    """The given sets that are blind (empty: all may be analysed)."""
    blind = blind_sets(path)
    return [n for n in names if set_name(n) in blind]


__all__ = ["EVAL", "LIST", "blind_sets", "refused", "set_name"]
