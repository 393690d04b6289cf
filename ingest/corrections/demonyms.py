"""A country's adjective names the country: "Australian barley" is barley from Australia.

News names a country by its adjective as often as by its name ("Chinese duties on Australian
barley" / "China will impose duties … on barley from Australia"; "the Iranian government" /
"Iran said"). The detector's and later coverage's subject tests compare names, so the two
spellings of one country must meet. This is a fact of the language, not of any story: the table
below is the standard adjective (and its plural noun, "Australians") of sovereign states and a few
regions news often names, each mapped to the name written in the country's usual short form. An
adjective shared by several countries, or also an ordinary word, is left out ("Dominican",
"Congolese", "Guinean", "Korean", "Sudanese"; "Polish" is kept: capitalised, it is only the
adjective). Nothing maps a capital to its country ("Beijing said"): a city is also a place.
"""

from __future__ import annotations

import re
from functools import lru_cache

# adjective → the country's name, lower case; a name of two words maps to its distinctive word
# (the name tokens a sentence yields are single words: "Saudi Arabia" → "saudi", "arabia").
_TABLE = """
afghan afghanistan | albanian albania | algerian algeria | angolan angola | argentine argentina |
argentinian argentina | armenian armenia | australian australia | austrian austria | azerbaijani azerbaijan |
bahraini bahrain | bangladeshi bangladesh | belarusian belarus | belgian belgium | bolivian bolivia |
bosnian bosnia | brazilian brazil | british britain | bulgarian bulgaria | burmese myanmar |
cambodian cambodia | cameroonian cameroon | canadian canada | chadian chad | chilean chile | chinese china |
colombian colombia | croatian croatia | cuban cuba | cypriot cyprus | czech czech | danish denmark |
dutch netherlands | ecuadorian ecuador | egyptian egypt | emirati emirates | eritrean eritrea | estonian estonia |
ethiopian ethiopia | fijian fiji | filipino philippines | finnish finland | french france | georgian georgia |
german germany | ghanaian ghana | greek greece | guatemalan guatemala | haitian haiti | honduran honduras |
hungarian hungary | icelandic iceland | indian india | indonesian indonesia | iranian iran | iraqi iraq |
irish ireland | israeli israel | italian italy | ivorian ivory | jamaican jamaica | japanese japan |
jordanian jordan | kazakh kazakhstan | kenyan kenya | kuwaiti kuwait | kyrgyz kyrgyzstan | lao laos |
latvian latvia | lebanese lebanon | liberian liberia | libyan libya | lithuanian lithuania |
luxembourgish luxembourg | malagasy madagascar | malawian malawi | malaysian malaysia | maldivian maldives |
malian mali | maltese malta | mauritanian mauritania | mexican mexico | moldovan moldova | mongolian mongolia |
montenegrin montenegro | moroccan morocco | mozambican mozambique | namibian namibia | nepalese nepal |
nepali nepal | nicaraguan nicaragua | nigerian nigeria | nigerien niger | norwegian norway | omani oman |
pakistani pakistan | palestinian palestine | panamanian panama | paraguayan paraguay | peruvian peru |
polish poland | portuguese portugal | qatari qatar | romanian romania | russian russia | rwandan rwanda |
saudi saudi | scottish scotland | senegalese senegal | serbian serbia | singaporean singapore |
slovak slovakia | slovenian slovenia | somali somalia | spanish spain | lankan lanka | swedish sweden |
swiss switzerland | syrian syria | taiwanese taiwan | tajik tajikistan | tanzanian tanzania | thai thailand |
tibetan tibet | tunisian tunisia | turkish turkey | turkmen turkmenistan | ugandan uganda | ukrainian ukraine |
uruguayan uruguay | uzbek uzbekistan | venezuelan venezuela | vietnamese vietnam | welsh wales |
yemeni yemen | zambian zambia | zimbabwean zimbabwe | european europe | african africa | asian asia |
"""

_COUNTRY: dict[str, str] = {}
for _row in _TABLE.split("|"):
    if len(_pair := _row.split()) == 2:
        _COUNTRY[_pair[0]] = _pair[1]


@lru_cache(maxsize=4096)
def country_of(word: str) -> str:
    """The country a (lower-case) adjective or its plural names ("australians" → "australia"), else ""."""
    if word in _COUNTRY:
        return _COUNTRY[word]
    if word.endswith("s") and word[:-1] in _COUNTRY and not word.endswith(("ss", "es")):
        return _COUNTRY[word[:-1]]
    return ""


# A capitalised word not followed by another: an adjective before a common noun ("Australian barley",
# "Iranian officials"), not a word of a proper name ("Ethiopian Airlines", "British Airways", "the
# Chinese Academy of Sciences"), which names that body, not the country.
_LOOSE = re.compile(r"\b([A-Z][a-z]+)\b(?![\s-]+[A-Z])")


def with_countries(text: str, names: frozenset[str]) -> frozenset[str]:
    """`names` (of `text`) plus the country each country adjective of `text` names."""
    extra = {c for m in _LOOSE.finditer(text) if m.group(1).lower() in names and (c := country_of(m.group(1).lower()))}
    return names | extra if extra else names


# Countries news names by an abbreviation or a second name as often as by the name above: each set is
# one country's spellings (lower case, without dots). Used where a question's name must be found in the
# sources however they spell the country ("the US economy" / "The American economy grew …").
_ALIASES = (
    frozenset({"us", "usa", "united states", "america", "american", "americans"}),
    frozenset({"uk", "britain", "great britain", "united kingdom", "british", "britons"}),
    frozenset({"uae", "united arab emirates", "emirates", "emirati", "emiratis"}),
)
_ADJECTIVES: dict[str, set[str]] = {}
for _adj, _name in _COUNTRY.items():
    _ADJECTIVES.setdefault(_name, set()).add(_adj)


def is_adjective(word: str) -> bool:
    """A (lower-case) country adjective in the singular ("australian", "swiss"), not its plural, which
    names people ("australians")."""
    return word in _COUNTRY


@lru_cache(maxsize=4096)
def country_forms(word: str) -> frozenset[str]:
    """Every spelling of the country `word` names (a name, an adjective or its plural, an abbreviation;
    lower case, dots dropped): "US" → us, usa, united states, america, american, americans;
    "australia" → australia, australian, australians; empty when `word` names no country."""
    w = word.lower().replace(".", "")
    for forms in _ALIASES:
        if w in forms:
            return forms
    name = _COUNTRY.get(w) or country_of(w) or (w if w in _ADJECTIVES else "")
    if not name:
        return frozenset()
    adjectives = _ADJECTIVES.get(name, set())
    return frozenset({name, *adjectives, *(a + "s" for a in adjectives if not a.endswith(("s", "sh", "ch", "ese")))})


__all__ = ["country_forms", "country_of", "is_adjective", "with_countries"]
