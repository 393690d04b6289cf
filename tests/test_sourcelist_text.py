"""`sources.json` is built by hand for speed; it must stay exactly what `json.dumps` wrote."""

import json

from ingest import sourcelist
from ingest.sourcelist import ListedSource, SourceList


def _dumped(lst: SourceList) -> str:
    return json.dumps(lst.to_json(), indent=1, ensure_ascii=False) + "\n"


def test_text_equals_json_dumps_for_awkward_values(tmp_path):
    odd = ['quo"te', "back\\slash", "tab\tnew\nline", "ünïcödé — “curly”", "\x01ctl", "emoji 🙂", ""]
    lst = SourceList(folders=["/b", "/a", "/a", "/ü"])
    for i, v in enumerate(odd):
        lst.sources[f"s{i}{v}"] = ListedSource(id=f"s{i}{v}", path=v, url="https://x/" + v, sha256=v[::-1])
    assert lst.text() == _dumped(lst)
    assert json.loads(lst.text()) == lst.to_json()
    assert sourcelist.write(tmp_path, lst) is True
    assert sourcelist.write(tmp_path, lst) is False  # unchanged: not rewritten
    assert sourcelist.read(tmp_path) == SourceList(sources=lst.sources, folders=sorted(set(lst.folders)))


def test_text_equals_json_dumps_when_empty():
    for lst in (SourceList(), SourceList(folders=["/x"]), SourceList(sources={"a": ListedSource(id="a")})):
        assert lst.text() == _dumped(lst)
