"""An exact pre-filter for the detector's cue regexes: skip a search that cannot match.

Each sentence meets some sixty case-insensitive regexes (`patterns.py`, `lexicon.py`) and most
match nothing; Python's engine tries every alternative at every position, so a miss costs as much
as a hit. But every match of a pattern contains one of a few literal strings ("withdr", "retract",
"called off", …). Those strings are derived here from each pattern's own parse tree at import —
never a hand list that could drift from the pattern — and a sentence is scanned once for all of
them (one lookahead scan over a trie of every literal); a search whose literals are all absent
returns None without running. Exact by construction: a match implies one of its literals in the
text, so skipping changes no result (tests/test_cue_prefilter.py runs old and new side by side
over every development sentence).

Case folding follows the regex engine's own: a character is lowered as `re` lowers it under
IGNORECASE and mapped to one representative of the characters `re` treats as equal ("s" and
"ſ", "i" and "ı"), so a case-insensitive match always implies a literal in the folded text; a
case-sensitive one does too (same characters, same fold).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, MutableMapping
from functools import lru_cache
from re import _constants as C  # type: ignore[attr-defined]
from re import _parser  # type: ignore[attr-defined]
from typing import Any

import _sre

try:  # the equivalences re applies under IGNORECASE besides lowering ("s" ~ "ſ")
    from re._casefix import _EXTRA_CASES  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover (older layouts keep them on the compiler)
    _EXTRA_CASES = getattr(__import__("re._compiler").compiler, "_EXTRA_CASES", {})

_LIMIT = 512  # largest set of exact strings kept while walking a pattern (then a set becomes a requirement)
_MIN_LEN = 2  # a requirement with a one-character literal filters too little: search always


def _fold_code(o: int) -> int:
    lo = _sre.unicode_tolower(o)
    return min((lo, *_EXTRA_CASES.get(lo, ())))


class _Fold(dict):  # type: ignore[type-arg]
    """str.translate table folding each character as above, filled on first sight of a character."""

    def __missing__(self, o: int) -> int:
        self[o] = v = _fold_code(o)
        return v


_FOLD = _Fold()


def fold(text: str) -> str:
    """The text as the pre-filter compares it (one character for one: positions are kept)."""
    return text.lower() if text.isascii() else text.translate(_FOLD)


# -- the literals every match of a pattern contains ----------------------------------------------
# A node of the parse tree gives (exact, need): `exact` the finite set of strings it can match (None
# when too many or unbounded), `need` a set of strings one of which any match contains (None: none).
_REPEATS = tuple(r for r in (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", None)) if r is not None)
Info = tuple[frozenset[str] | None, frozenset[str] | None]
_ANYTHING: Info = (None, None)
_EMPTY: Info = (frozenset({""}), None)


def _as_need(info: Info) -> frozenset[str] | None:
    exact, need = info
    if exact is not None:
        return None if "" in exact else exact
    return need


def _better(a: frozenset[str] | None, b: frozenset[str] | None) -> frozenset[str] | None:
    """The more selective of two requirements: longer shortest literal, then fewer literals."""
    if a is None or b is None:
        return a if b is None else b
    return max(a, b, key=lambda s: (min(map(len, s)), -len(s)))


def _char(code: int) -> str:
    return chr(_fold_code(code))


def _item(op: Any, av: Any) -> Info:
    if op is C.LITERAL:
        return frozenset({_char(av)}), None
    if op is C.IN:
        if all(o is C.LITERAL for o, _ in av) and len(av) <= 16:
            return frozenset(_char(c) for _, c in av), None
        return _ANYTHING
    if op in (C.AT, C.ASSERT, C.ASSERT_NOT):
        return _EMPTY  # zero width: what a lookaround needs lies outside the match
    if op is C.SUBPATTERN:
        return _seq(av[-1])
    if op is getattr(C, "ATOMIC_GROUP", None):
        return _seq(av)
    if op is C.BRANCH:
        infos = [_seq(alt) for alt in av[1]]
        if all(e is not None for e, _ in infos) and sum(len(e) for e, _ in infos) <= _LIMIT:  # type: ignore[arg-type]
            return frozenset().union(*(e for e, _ in infos)), None  # type: ignore[arg-type]
        needs = [_as_need(i) for i in infos]
        return (None, None) if any(n is None for n in needs) else (None, frozenset().union(*needs))  # type: ignore[arg-type]
    if op in _REPEATS:
        lo, hi, sub = av
        info = _seq(sub)
        if lo == hi == 1:
            return info
        if lo == 0 and hi == 1 and info[0] is not None:
            return info[0] | {""}, None
        if lo == 0:
            return _ANYTHING
        return None, _as_need(info)  # at least once: what one repetition needs
    return _ANYTHING  # ANY, NOT_LITERAL, GROUPREF, …


def _seq(items: Any) -> Info:
    """A concatenation: runs of exact parts multiply out into longer literals; the most selective
    requirement of any part is a requirement of the whole."""
    run: frozenset[str] = frozenset({""})
    best: frozenset[str] | None = None
    whole = True  # every part so far exact: the run is the whole's exact set

    def flush() -> None:
        nonlocal best
        if "" not in run:
            best = _better(best, run)

    for op, av in items:
        sub: frozenset[str] | None = None
        if op in _REPEATS and av[0] >= 1 and av[1] != 1:
            inner = _seq(av[2])
            info, sub = (None, _as_need(inner)), inner[0]
        else:
            info = _item(op, av)
        exact = info[0]
        if exact is not None and len(run) * len(exact) <= _LIMIT:
            run = frozenset(a + b for a in run for b in exact)
            continue
        if sub is not None and len(run) * len(sub) <= _LIMIT:
            # x{1,n} begins and ends with x: the run before it takes one x, and one x starts the next run.
            run = frozenset(a + b for a in run for b in sub)
            flush()
            run, whole = sub, False
            continue
        flush()
        whole = False
        best = _better(best, _as_need(info))
        run = exact if exact is not None else frozenset({""})
    if whole:
        return run, None
    flush()
    return None, best


def required(rx: re.Pattern[str]) -> frozenset[str] | None:
    """Folded strings one of which every match of `rx` contains, or None when no useful set exists."""
    need = _as_need(_seq(_parser.parse(rx.pattern, rx.flags)))
    return need if need and min(map(len, need)) >= _MIN_LEN else None


# -- one scan per text for every pattern's literals ----------------------------------------------
class _Index:
    """Every registered literal with a bit; a text's bits say which literals it contains."""

    def __init__(self) -> None:
        self.bits: dict[str, int] = {}
        self._scan: re.Pattern[str] | None = None
        self._closure: dict[str, int] = {}

    def mask(self, literals: frozenset[str]) -> int:
        m = 0
        for lit in sorted(literals):
            if lit not in self.bits:
                self.bits[lit] = 1 << len(self.bits)
                self._scan = None
                present.cache_clear()  # a text read before lacks the new literal's bit (a later arm())
            m |= self.bits[lit]
        return m

    def _build(self) -> re.Pattern[str]:
        # At each position the trie gives the longest literal starting there; every literal inside
        # it (its closure) is present too, and literals starting elsewhere are found where they start.
        self._closure = {}
        self._scan = re.compile("(?=(" + _trie(list(self.bits)) + "))", re.S)
        present.cache_clear()
        return self._scan

    def present(self, text: str) -> int:
        scan = self._scan or self._build()
        m = 0
        for lit in set(scan.findall(fold(text))):
            m |= self._closure.get(lit) or self._close(lit)
        return m

    def _close(self, lit: str) -> int:
        bits = self.bits
        self._closure[lit] = m = sum({bits[lit[i:j]] for i in range(len(lit)) for j in range(i + 1, len(lit) + 1)
                                      if lit[i:j] in bits})
        return m


def _trie(words: list[str]) -> str:
    """A regex of `words` as a trie: alternatives by first character, longest continuation first."""
    tree: dict[str, Any] = {}
    for w in words:
        node = tree
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        alts = [re.escape(ch) + emit(sub) for ch, sub in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(tree)


_INDEX = _Index()


@lru_cache(maxsize=65_536)  # a sentence's patterns are searched together, and again per pair relinking forms
def present(text: str) -> int:
    return _INDEX.present(text)


class Guarded:
    """A compiled pattern whose unanchored searches (search, finditer, findall), once armed, first
    ask whether one of its literals occurs. Unarmed (the answer path, which never imports the
    detector) every method is the pattern's own bound method: no cost at all."""

    def __init__(self, rx: re.Pattern[str]) -> None:
        self.rx = rx
        self.need = -1  # bits of its literals in the index; -1 (every bit): never skipped
        self.search, self.finditer, self.findall = rx.search, rx.finditer, rx.findall
        self.match, self.fullmatch, self.sub, self.subn, self.split = rx.match, rx.fullmatch, rx.sub, rx.subn, rx.split
        _UNARMED.append(self)

    def _arm(self) -> None:
        need = required(self.rx)
        if need:
            self.need = _INDEX.mask(need)
            self.search, self.finditer, self.findall = self._search, self._finditer, self._findall

    def _search(self, string: str, *args: Any, **kw: Any) -> re.Match[str] | None:
        return self.rx.search(string, *args, **kw) if self.need & present(string) else None

    def _finditer(self, string: str, *args: Any, **kw: Any) -> Iterator[re.Match[str]]:
        return self.rx.finditer(string, *args, **kw) if self.need & present(string) else iter(())

    def _findall(self, string: str, *args: Any, **kw: Any) -> list[Any]:
        return self.rx.findall(string, *args, **kw) if self.need & present(string) else []

    def __getattr__(self, name: str) -> Any:  # pattern, flags, groups, groupindex, scanner
        if name == "rx" or name.startswith("__"):  # not yet set (a copy being built): no recursion
            raise AttributeError(name)
        return getattr(self.rx, name)

    def __repr__(self) -> str:
        return f"Guarded({self.rx!r})"


_UNARMED: list[Guarded] = []


def arm() -> None:
    """Derive the literals of every guarded pattern not yet armed and switch its searches to the
    guarded ones (the detector calls this once its pattern tables are imported)."""
    while _UNARMED:
        _UNARMED.pop()._arm()


def guard_module(namespace: MutableMapping[str, Any]) -> None:
    """Replace every compiled pattern of a module's namespace (and in its dicts of patterns) by its
    guarded form. Called at the end of a pattern table, so every importer gets the guarded ones."""
    for key, value in list(namespace.items()):
        if isinstance(value, re.Pattern):
            namespace[key] = Guarded(value)
        elif isinstance(value, dict) and value and all(isinstance(v, re.Pattern) for v in value.values()):
            namespace[key] = {k: Guarded(v) for k, v in value.items()}


__all__ = ["Guarded", "arm", "fold", "guard_module", "present", "required"]
