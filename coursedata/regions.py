"""Region key of the course: one code per Russian territory, and name normalisation.

Every source names regions its own way ("г. Москва", "Город Москва столица ...", "Hижегородская"
with a Latin H, truncated sheet names ...). All of them are mapped here, in one place, to one key:

* ``region_code``: the ISO 3166-2:RU code (``RU-VGG``) for the 85 regions Rosstat publishes,
  ``RU`` for the Russian Federation, ``FD-...`` for federal districts (ISO has no codes for
  them), and ``RU-ARK-XAO`` / ``RU-TYU-XAO`` for the two "region without its autonomous okrugs"
  rows that Rosstat prints beside the totals.
* ``RU-CR`` and ``RU-SEV`` are not ISO 3166-2:RU codes: ISO 3166-2 lists Crimea and Sevastopol
  under Ukraine (UA-43, UA-40). Rosstat publishes them among its regions from 2014/2015 on; the
  course keeps those rows as published and marks them ``is_iso = False`` so that an analysis
  can include or exclude them explicitly.

A name that cannot be mapped raises :class:`UnmappedRegionError` listing every such name: a
new spelling must be added to ``_ALIASES`` deliberately, never guessed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

import pandas as pd

__all__ = [
    "HISTORIC_UNITS",
    "UnmappedRegionError",
    "clean_name",
    "is_historic",
    "normalise",
    "normalise_many",
    "region_table",
]

# code | OKATO | federal district | level | nested_in | name_ru | name_en.
# level: country, district, region (a federal subject), region_part (a region without its
# autonomous okrugs). nested_in: the region whose published total already includes this one.
_TABLE = """
RU|643||country||Российская Федерация|Russian Federation
FD-CEN|030|FD-CEN|district||Центральный федеральный округ|Central Federal District
FD-NW|031|FD-NW|district||Северо-Западный федеральный округ|Northwestern Federal District
FD-SOU|040|FD-SOU|district||Южный федеральный округ|Southern Federal District
FD-NCA|038|FD-NCA|district||Северо-Кавказский федеральный округ|North Caucasian Federal District
FD-VOL|033|FD-VOL|district||Приволжский федеральный округ|Volga Federal District
FD-URA|034|FD-URA|district||Уральский федеральный округ|Ural Federal District
FD-SIB|041|FD-SIB|district||Сибирский федеральный округ|Siberian Federal District
FD-FE|042|FD-FE|district||Дальневосточный федеральный округ|Far Eastern Federal District
RU-BEL|14000000000|FD-CEN|region||Белгородская область|Belgorod Oblast
RU-BRY|15000000000|FD-CEN|region||Брянская область|Bryansk Oblast
RU-VLA|17000000000|FD-CEN|region||Владимирская область|Vladimir Oblast
RU-VOR|20000000000|FD-CEN|region||Воронежская область|Voronezh Oblast
RU-IVA|24000000000|FD-CEN|region||Ивановская область|Ivanovo Oblast
RU-KLU|29000000000|FD-CEN|region||Калужская область|Kaluga Oblast
RU-KOS|34000000000|FD-CEN|region||Костромская область|Kostroma Oblast
RU-KRS|38000000000|FD-CEN|region||Курская область|Kursk Oblast
RU-LIP|42000000000|FD-CEN|region||Липецкая область|Lipetsk Oblast
RU-MOS|46000000000|FD-CEN|region||Московская область|Moscow Oblast
RU-ORL|54000000000|FD-CEN|region||Орловская область|Oryol Oblast
RU-RYA|61000000000|FD-CEN|region||Рязанская область|Ryazan Oblast
RU-SMO|66000000000|FD-CEN|region||Смоленская область|Smolensk Oblast
RU-TAM|68000000000|FD-CEN|region||Тамбовская область|Tambov Oblast
RU-TVE|28000000000|FD-CEN|region||Тверская область|Tver Oblast
RU-TUL|70000000000|FD-CEN|region||Тульская область|Tula Oblast
RU-YAR|78000000000|FD-CEN|region||Ярославская область|Yaroslavl Oblast
RU-MOW|45000000000|FD-CEN|region||г. Москва|Moscow
RU-KR|86000000000|FD-NW|region||Республика Карелия|Republic of Karelia
RU-KO|87000000000|FD-NW|region||Республика Коми|Komi Republic
RU-ARK|11000000000|FD-NW|region||Архангельская область|Arkhangelsk Oblast
RU-NEN|11100000000|FD-NW|region|RU-ARK|Ненецкий автономный округ|Nenets Autonomous Okrug
RU-ARK-XAO|11001000000|FD-NW|region_part|RU-ARK|Архангельская область без автономного округа|Arkhangelsk Oblast excluding Nenets AO
RU-VLG|19000000000|FD-NW|region||Вологодская область|Vologda Oblast
RU-KGD|27000000000|FD-NW|region||Калининградская область|Kaliningrad Oblast
RU-LEN|41000000000|FD-NW|region||Ленинградская область|Leningrad Oblast
RU-MUR|47000000000|FD-NW|region||Мурманская область|Murmansk Oblast
RU-NGR|49000000000|FD-NW|region||Новгородская область|Novgorod Oblast
RU-PSK|58000000000|FD-NW|region||Псковская область|Pskov Oblast
RU-SPE|40000000000|FD-NW|region||г. Санкт-Петербург|Saint Petersburg
RU-AD|79000000000|FD-SOU|region||Республика Адыгея|Republic of Adygea
RU-KL|85000000000|FD-SOU|region||Республика Калмыкия|Republic of Kalmykia
RU-CR|35000000000|FD-SOU|region||Республика Крым|Republic of Crimea
RU-KDA|03000000000|FD-SOU|region||Краснодарский край|Krasnodar Krai
RU-AST|12000000000|FD-SOU|region||Астраханская область|Astrakhan Oblast
RU-VGG|18000000000|FD-SOU|region||Волгоградская область|Volgograd Oblast
RU-ROS|60000000000|FD-SOU|region||Ростовская область|Rostov Oblast
RU-SEV|67000000000|FD-SOU|region||г. Севастополь|Sevastopol
RU-DA|82000000000|FD-NCA|region||Республика Дагестан|Republic of Dagestan
RU-IN|26000000000|FD-NCA|region||Республика Ингушетия|Republic of Ingushetia
RU-KB|83000000000|FD-NCA|region||Кабардино-Балкарская Республика|Kabardino-Balkar Republic
RU-KC|91000000000|FD-NCA|region||Карачаево-Черкесская Республика|Karachay-Cherkess Republic
RU-SE|90000000000|FD-NCA|region||Республика Северная Осетия - Алания|Republic of North Ossetia-Alania
RU-CE|96000000000|FD-NCA|region||Чеченская Республика|Chechen Republic
RU-STA|07000000000|FD-NCA|region||Ставропольский край|Stavropol Krai
RU-BA|80000000000|FD-VOL|region||Республика Башкортостан|Republic of Bashkortostan
RU-ME|88000000000|FD-VOL|region||Республика Марий Эл|Mari El Republic
RU-MO|89000000000|FD-VOL|region||Республика Мордовия|Republic of Mordovia
RU-TA|92000000000|FD-VOL|region||Республика Татарстан|Republic of Tatarstan
RU-UD|94000000000|FD-VOL|region||Удмуртская Республика|Udmurt Republic
RU-CU|97000000000|FD-VOL|region||Чувашская Республика|Chuvash Republic
RU-PER|57000000000|FD-VOL|region||Пермский край|Perm Krai
RU-KIR|33000000000|FD-VOL|region||Кировская область|Kirov Oblast
RU-NIZ|22000000000|FD-VOL|region||Нижегородская область|Nizhny Novgorod Oblast
RU-ORE|53000000000|FD-VOL|region||Оренбургская область|Orenburg Oblast
RU-PNZ|56000000000|FD-VOL|region||Пензенская область|Penza Oblast
RU-SAM|36000000000|FD-VOL|region||Самарская область|Samara Oblast
RU-SAR|63000000000|FD-VOL|region||Саратовская область|Saratov Oblast
RU-ULY|73000000000|FD-VOL|region||Ульяновская область|Ulyanovsk Oblast
RU-KGN|37000000000|FD-URA|region||Курганская область|Kurgan Oblast
RU-SVE|65000000000|FD-URA|region||Свердловская область|Sverdlovsk Oblast
RU-TYU|71000000000|FD-URA|region||Тюменская область|Tyumen Oblast
RU-KHM|71100000000|FD-URA|region|RU-TYU|Ханты-Мансийский автономный округ - Югра|Khanty-Mansi Autonomous Okrug - Yugra
RU-YAN|71140000000|FD-URA|region|RU-TYU|Ямало-Ненецкий автономный округ|Yamalo-Nenets Autonomous Okrug
RU-TYU-XAO|71001000000|FD-URA|region_part|RU-TYU|Тюменская область без автономных округов|Tyumen Oblast excluding its autonomous okrugs
RU-CHE|75000000000|FD-URA|region||Челябинская область|Chelyabinsk Oblast
RU-AL|84000000000|FD-SIB|region||Республика Алтай|Altai Republic
RU-TY|93000000000|FD-SIB|region||Республика Тыва|Tuva Republic
RU-KK|95000000000|FD-SIB|region||Республика Хакасия|Republic of Khakassia
RU-ALT|01000000000|FD-SIB|region||Алтайский край|Altai Krai
RU-KYA|04000000000|FD-SIB|region||Красноярский край|Krasnoyarsk Krai
RU-IRK|25000000000|FD-SIB|region||Иркутская область|Irkutsk Oblast
RU-KEM|32000000000|FD-SIB|region||Кемеровская область - Кузбасс|Kemerovo Oblast - Kuzbass
RU-NVS|50000000000|FD-SIB|region||Новосибирская область|Novosibirsk Oblast
RU-OMS|52000000000|FD-SIB|region||Омская область|Omsk Oblast
RU-TOM|69000000000|FD-SIB|region||Томская область|Tomsk Oblast
RU-BU|81000000000|FD-FE|region||Республика Бурятия|Republic of Buryatia
RU-SA|98000000000|FD-FE|region||Республика Саха (Якутия)|Sakha (Yakutia) Republic
RU-ZAB|76000000000|FD-FE|region||Забайкальский край|Zabaykalsky Krai
RU-KAM|30000000000|FD-FE|region||Камчатский край|Kamchatka Krai
RU-PRI|05000000000|FD-FE|region||Приморский край|Primorsky Krai
RU-KHA|08000000000|FD-FE|region||Хабаровский край|Khabarovsk Krai
RU-AMU|10000000000|FD-FE|region||Амурская область|Amur Oblast
RU-MAG|44000000000|FD-FE|region||Магаданская область|Magadan Oblast
RU-SAK|64000000000|FD-FE|region||Сахалинская область|Sakhalin Oblast
RU-YEV|99000000000|FD-FE|region||Еврейская автономная область|Jewish Autonomous Oblast
RU-CHU|77000000000|FD-FE|region||Чукотский автономный округ|Chukotka Autonomous Okrug
"""

# fmt: off
# Spellings found in the sources, besides the canonical name_ru above (compared after clean_name).
_ALIASES: dict[str, tuple[str, ...]] = {
    "FD-NW": ("Северо-Западный федер. округ",),
    "FD-SOU": ("Южный федеральный округ (с 29.07.2016)",),
    "FD-NCA": ("Северо-Кавказский фед. округ",),
    "FD-FE": ("Дальневосточный федеральный окр",),
    "RU-MOW": ("Москва", "Город Москва столица Российской Федерации город федерального значения"),
    "RU-SPE": ("Санкт-Петербург", "Город Санкт-Петербург город федерального значения"),
    "RU-SEV": ("Севастополь", "Город федерального значения Севастополь"),
    "RU-NEN": ("Ненецкий авт. округ", "Ненецкий автономный округ (Архангельская область)"),
    "RU-ARK-XAO": (
        "Архангельская область без АО",
        "Архангельская область (без АО)",
        "Архангельская область (кроме Ненецкого автономного округа)",
    ),
    "RU-AD": ("Республика Адыгея (Адыгея)",),
    "RU-TA": ("Республика Татарстан (Татарстан)",),
    "RU-CU": ("Чувашская Республика - Чувашия",),
    "RU-SE": ("Республика Северная Осетия-Алания", "Респ. Северная Осетия-Алания"),
    "RU-SA": ("Республика Саха",),
    "RU-KEM": ("Кемеровская область",),
    "RU-KHM": (
        "Ханты-Мансийский автономный округ",
        "Ханты-Мансийский автономный окр",
        "Ханты-Мансийский авт. округ-Югра",
        "Ханты-Мансийский автономный округ - Югра (Тюменская область)",
    ),
    "RU-YAN": ("Ямало-Ненецкий авт. округ", "Ямало-Ненецкий автономный округ (Тюменская область)"),
    "RU-TYU-XAO": (
        "Тюменская область без автономных округов",
        "Тюменская обл.(без авт.округов)",
        "Тюменская область (без АО)",
        "Тюменская область (кроме Ханты-Мансийского автономного округа - Югры"
        " и Ямало-Ненецкого автономного округа)",
        "Тюменская область (кроме Ханты-Мансийского автономного округа-Югры"
        " и Ямало-Ненецкого автономного округа)",
    ),
    "RU-YEV": ("Еврейская АО", "Еврейская авт. область"),
    "RU-CHU": ("Чукотский АО", "Чукотский авт. округ"),
}

# Units that some sources still list but that are not part of today's key. Builders drop
# them on purpose (and say so in the codebook); everything else must map.
HISTORIC_UNITS: dict[str, str] = {
    "Коми-Пермяцкий округ, входящий в состав Пермского края": "merged into Perm Krai in 2005",
    "Агинский Бурятский округ (Забайкальский край)": "merged into Zabaykalsky Krai in 2008",
    "Таймырский (Долгано-Ненецкий) автономный округ (Красноярский край)": "merged in 2007",
    "Эвенкийский автономный округ (Красноярский край)": "merged into Krasnoyarsk Krai in 2007",
    "Усть-Ордынский Бурятский округ": "merged into Irkutsk Oblast in 2008",
    "Корякский округ, входящий в состав Камчатского края": "merged into Kamchatka Krai in 2007",
    "Крымский федеральный округ": "federal district 2014-2016, merged into the Southern FD",
    "Южный федеральный округ (по 2009 год)": "district boundaries before 2010",
    "Южный федеральный округ (с 2010 года)": "district boundaries 2010-2016",
}

# fmt: on

# Latin letters that look like Cyrillic ones and occur inside Cyrillic names in the sources.
_LOOKALIKES = str.maketrans("ABCEHKMOPTXaceopxy", "АВСЕНКМОРТХасеорху")


class UnmappedRegionError(ValueError):
    """Raised when region names cannot be mapped to the key; lists every unmapped name."""

    def __init__(self, names: Iterable[str], source: str = "") -> None:
        self.names = sorted(set(names))
        where = f" in {source}" if source else ""
        listing = "; ".join(repr(n) for n in self.names)
        super().__init__(f"{len(self.names)} region name(s) not in the key{where}: {listing}")


def clean_name(name: str) -> str:
    """Return a comparison form of a region name (case, spaces, dashes, look-alikes, ё)."""
    text = unicodedata.normalize("NFKC", str(name))
    if re.search("[а-яА-ЯёЁ]", text):
        # Only fix look-alikes inside Cyrillic text; "Hижегородская" has a Latin H.
        text = text.translate(_LOOKALIKES)
    text = text.replace("ё", "е").replace("Ё", "Е")
    text = re.sub("[\u2010-\u2015]", "-", text)
    text = re.sub(r"\s*-\s*", " - ", text)
    text = re.sub(r"\s+", " ", text).strip().lower()
    return text


def _rows() -> list[dict[str, str | None]]:
    """Parse the key table above into dicts."""
    cols = ["region_code", "okato", "federal_district", "level", "nested_in", "name_ru", "name_en"]
    rows = []
    for line in _TABLE.strip().splitlines():
        values = [v or None for v in line.split("|")]
        rows.append(dict(zip(cols, values, strict=True)))
    return rows


def _lookup() -> dict[str, str]:
    """Map every cleaned spelling to its code; fail if two codes share a spelling."""
    table: dict[str, str] = {}
    pairs = [(r["region_code"], r["name_ru"]) for r in _rows()]
    pairs += [(code, alias) for code, aliases in _ALIASES.items() for alias in aliases]
    for code, name in pairs:
        key = clean_name(str(name))
        if table.get(key, code) != code:
            raise RuntimeError(f"spelling {name!r} maps to {table[key]} and {code}")
        table[key] = str(code)
    return table


_LOOKUP = _lookup()
_HISTORIC = {clean_name(n) for n in HISTORIC_UNITS}


def is_historic(name: str) -> bool:
    """True if ``name`` is a dissolved unit or an old district boundary (see HISTORIC_UNITS)."""
    return clean_name(name) in _HISTORIC


def normalise(name: str) -> str:
    """Return the region code for one name, or raise UnmappedRegionError."""
    code = _LOOKUP.get(clean_name(name))
    if code is None:
        raise UnmappedRegionError([name])
    return code


def normalise_many(names: Iterable[str], source: str = "") -> list[str]:
    """Map many names at once; the error lists all unmapped names, not just the first."""
    names = list(names)
    missing = [n for n in names if clean_name(n) not in _LOOKUP]
    if missing:
        raise UnmappedRegionError(missing, source)
    return [_LOOKUP[clean_name(n)] for n in names]


def region_table() -> pd.DataFrame:
    """The key table as a DataFrame (without coordinates; the build adds lat/lon)."""
    frame = pd.DataFrame(_rows())
    frame["is_iso"] = ~frame["region_code"].isin(["RU-CR", "RU-SEV", "RU-ARK-XAO", "RU-TYU-XAO"])
    frame.loc[frame["level"] == "district", "is_iso"] = False
    # Rows that add up to their district total without double counting.
    frame["is_additive"] = (frame["level"] == "region") & frame["nested_in"].isna()
    return frame
