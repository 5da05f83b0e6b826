"""Word lists the rule-based entity finder relies on (no downloaded model).

Places come from data that already ships with our dependencies: English country and region
names from Babel's CLDR tables (installed with trafilatura) and city names from the IANA time
zone database (``zoneinfo``). Those miss a few cities news writes about constantly and the
usual abbreviations ("US", "UK"), so a short hand list tops them up. Titles, role nouns and
organisation cue words are closed classes of English news style; they are listed here once.
"""

from __future__ import annotations

import re
import zoneinfo
from functools import lru_cache

from babel import Locale


def word_set(text: str) -> frozenset[str]:
    """A word list written as one whitespace-separated string."""
    return frozenset(text.split())


#: Words that make up titles written before a name ("Secretary of State Antony Blinken",
#: "Russian Deputy Foreign Minister ..."). A capitalised run made only of these is a role.
TITLE_WORDS: frozenset[str] = word_set(
    """President Vice Prime Minister Secretary Foreign Defence Defense Deputy State General
    Attorney Chancellor Senator Sen Rep Representative Governor Gov Mayor Ambassador Director
    Chairman Chairwoman Chair Chief Judge Justice King Queen Prince Princess Pope Speaker Leader
    Commander Gen Col Lt Sgt Adm Admiral Colonel Captain Major Sheikh Ayatollah Premier Counsel
    Special Spokesman Spokeswoman Spokesperson Home Interior Finance Treasury Trade Health
    Economy Energy Commerce Assistant Under Acting Former First Lady Crown Supreme Executive
    CEO Founder Professor Prof Dr Sir Dame Lord Rev Pastor Secretary-General Cardinal Bishop
    Emperor Sultan Emir Crown Marshal Lieutenant Sergeant Officer Detective Inspector Agent
    Commissioner Envoy Congressman Congresswoman Councillor Councilman Archbishop Fr Father
    National Security Adviser Advisor Homeland Labor Labour Education Transport Culture Affairs
    Intelligence Majority Minority Whip House Senate Federal Cabinet Chairperson Vice-President
    Presidential Candidate Nominee Front-runner"""
)
#: Honorifics that mark a person and stay part of the surface form ("Mr Blinken").
HONORIFICS: frozenset[str] = word_set("Mr Mrs Ms Miss Mx Dr Sir Dame Prof")
#: Lowercase nouns that, written just before a name, give that person's role
#: ("spokesman Nate Price", "the C.I.A. director Mike Pompeo").
ROLE_NOUNS: frozenset[str] = word_set(
    """spokesman spokeswoman spokesperson director dictator leader minister secretary adviser
    advisor chairman chairwoman president prosecutor professor founder ambassador envoy counsel
    attorney lawyer chief head general commander senator governor analyst official aide
    negotiator deputy strongman ceo premier mayor judge correspondent reporter editor economist
    expert researcher diplomat chancellor king queen prince colonel spy agent candidate nominee
    officer representative congressman congresswoman lawmaker executive"""
)
#: Last (or first, before "of") words that make a capitalised run an organisation.
ORG_CUES: frozenset[str] = word_set(
    """Department Ministry Council Committee Agency Party Bank University College School Commission
    Union Organization Organisation Office Court Senate Congress Parliament Assembly Army Navy
    Force Forces Service Services Bureau Institute Center Centre Foundation Group Company Corp
    Corporation Inc Ltd LLC Co News Times Post Journal Press Network Alliance Administration
    Government Cabinet Fund Association Federation League Club Board Authority Police Guard
    Guards Corps Ministry Church Movement Front Brigade Brigades Coalition Institution Airlines
    Airways Reserve Exchange Holdings Holding Media Radio Television TV Agency Embassy Consulate
    Secretariat Directorate Inspectorate Tribunal Project Programme Program
    Initiative Society Trust Partners Capital Securities Bloc Caucus Staff"""
)
#: Organisations news names without any cue word. Kept short: these are the metonyms
#: ("the Kremlin said") and wire services that open many reports.
KNOWN_ORGS: frozenset[str] = word_set(
    """Kremlin Pentagon Reuters Axios Bloomberg Congress Senate Nato NATO Interfax TASS Xinhua
    Politico Twitter Facebook Google Apple Microsoft Amazon WikiLeaks Wikileaks Hamas Hezbollah
    Taliban Gazprom Tesla Meta YouTube Instagram Telegram Euronews Anadolu Getty Yonhap KCNA
    Sputnik Downing Whitehall Quai Élysée Elysee Duma Knesset Bundestag Politburo OPEC"""
)
#: Two-word organisations that carry no cue word.
KNOWN_ORG_PHRASES: frozenset[str] = frozenset(
    {"White House", "Downing Street", "Associated Press", "Red Cross", "Security Council",
     "Blue House", "Capitol Hill", "Wall Street", "Scotland Yard", "Open Society"}
)
#: Place words that end a place name ("Black Sea", "Korean Peninsula").
PLACE_CUES: frozenset[str] = word_set(
    """Sea Ocean River Mountains Mountain Island Islands Peninsula Gulf Bay Lake Valley Strait
    Coast Square Avenue Street City County Province Region Oblast Canal Desert Plateau Heights
    Strip Bank Hills Airport Highway"""
)
#: Abbreviations and short forms Babel's country names do not cover, mapped to one key so
#: that "US", "U.S." and "United States" are one place.
PLACE_ALIASES: dict[str, str] = {
    "US": "United States", "U.S.": "United States", "USA": "United States",
    "U.S.A.": "United States", "America": "United States", "United States of America":
    "United States", "UK": "United Kingdom", "U.K.": "United Kingdom", "Britain":
    "United Kingdom", "Great Britain": "United Kingdom", "Kiev": "Kyiv", "Russian Federation":
    "Russia", "Holland": "Netherlands", "Burma": "Myanmar", "Turkey": "Türkiye", "Czech Republic":
    "Czechia", "DPRK": "North Korea", "ROK": "South Korea", "UAE": "United Arab Emirates",
    "EU": "European Union", "E.U.": "European Union", "Korea": "Korea",
}
#: Cities and regions news uses daily that neither Babel's territory names nor the time zone
#: database list (capitals without their own time zone, contested regions).
EXTRA_PLACES: frozenset[str] = word_set(
    """Washington Geneva Beijing Delhi Ottawa Canberra Brasilia Ankara Islamabad
    Crimea Donbas Donbass Donetsk Luhansk Kharkiv Odesa Odessa Mariupol Lviv Sevastopol Gaza
    Jerusalem Ramallah Aleppo Idlib Mosul Kabul Kandahar Benghazi Tripoli Sanaa Aden
    Strasbourg Hague Munich Frankfurt Hamburg Milan Naples Barcelona Marseille Lyon Geneva
    Davos Lausanne Manchester Birmingham Edinburgh Glasgow Belfast Dublin California Texas
    Florida Virginia Maryland Ohio Michigan Pennsylvania Georgia Arizona Nevada Hawaii Alaska
    Siberia Chechnya Kaliningrad Belarus Balkans Baltics Caucasus Scandinavia Kosovo Tibet
    Xinjiang Taiwan Manhattan Brooklyn Chicago Houston Boston Atlanta Seattle Miami Dallas Denver
    Philadelphia Detroit Okinawa Osaka Kyoto Mumbai
    Shanghai Wuhan Minsk Kyiv Moscow Petersburg Vladivostok Istanbul Baghdad Basra
    Riyadh Doha Dubai Cairo Beirut Amman Tehran Nairobi Lagos Johannesburg Manila Hanoi"""
) | {"New York", "Los Angeles", "Abu Dhabi", "Tel Aviv",
     "San Francisco", "St. Petersburg", "West Bank", "Hong Kong",
     "New Delhi", "South China Sea", "Middle East", "Eastern Europe", "Western Europe",
     "Central Europe", "Latin America", "Baltic States", "Korean Peninsula"}
#: Demonyms that do not derive from the country name by a suffix rule.
IRREGULAR_DEMONYMS: frozenset[str] = word_set(
    """French British Swiss Dutch Polish Spanish Danish Swedish Finnish Turkish Irish Scottish
    Welsh English German Greek Thai Western Eastern Northern Southern European Soviet Korean
    Japanese Iranian Israeli Pakistani Iraqi Saudi Arab Arabic Kurdish Chechen Baltic Nordic
    Slavic Asian African Latin Yemeni Afghan Filipino Emirati Qatari Kuwaiti Omani Bahraini
    Czech Slovak Serb Croat Bosnian Albanian Belarusian Muslim Christian Jewish Catholic Sunni
    Shia Shiite Democratic Republican Democrat Republicans Democrats Communist Conservative
    Liberal Socialist Islamic Transatlantic Atlantic Eurasian Hispanic Anglo"""
)
#: Gazetteer/"tz" entries that are ordinary words and must not make a place on their own.
_NOT_PLACES: frozenset[str] = word_set(
    """North South East West Eastern Western Central Mountain Pacific Atlantic Universal Zulu
    Greenwich General Center Knox Marengo Monticello Beulah Salem Tell Vevay Winamac Vincennes
    Petersburg Louisville Indianapolis Continental Enderbury Acre Noronha Currie Eucla Lindeman
    Casey Davis Mawson McMurdo Palmer Rothera Syowa Troll Vostok Macquarie Faroe Jersey Chad
    Niger Guinea Georgia Jordan Victoria Hobart Darwin Perth Adelaide Truk Yap Wake Midway
    Johnston Easter Christmas Cocos World world"""
)
_TZ_REGIONS = ("Africa", "America", "Asia", "Atlantic", "Australia", "Europe", "Indian", "Pacific")
_SMALL_US_SUBZONES = ("America/Indiana/", "America/Kentucky/", "America/North_Dakota/")


@lru_cache(maxsize=1)
def country_names() -> frozenset[str]:
    """English country and region names (CLDR via Babel) plus the abbreviation aliases."""
    names = set()
    for name in Locale("en").territories.values():
        if name in _NOT_PLACES or name.startswith(("Unknown", "Pseudo")):
            continue
        names.add(name.replace(" & ", " and "))
        names.add(name)
        names.add(re.sub(r"\s*\(.*\)$", "", name))
    names.update(PLACE_ALIASES)
    names.update({"Georgia", "Jordan", "Chad", "Niger", "Guinea", "Korea"})
    names.discard("United Nations")  # an organisation, not a place
    names.discard("European Union")
    return frozenset(names)


@lru_cache(maxsize=1)
def place_names() -> frozenset[str]:
    """Every name the finder accepts as a place without context: countries, cities, regions."""
    names = set(country_names()) | set(EXTRA_PLACES)
    for zone in zoneinfo.available_timezones():
        if not zone.startswith(_TZ_REGIONS) or zone.startswith(_SMALL_US_SUBZONES):
            continue
        city = zone.rsplit("/", 1)[-1].replace("_", " ")
        if city not in _NOT_PLACES and len(city) > 3:
            names.add(city)
    names -= {"EU", "E.U.", "European Union"}
    return frozenset(names)


def place_key(name: str) -> str:
    """Fold aliases so "U.S.", "US" and "United States" compare equal."""
    return PLACE_ALIASES.get(name, name)


@lru_cache(maxsize=4096)
def is_demonym(word: str) -> bool:
    """Whether ``word`` names a nationality or group ("Russian", "Ukrainian", "Americans")."""
    base = word[:-1] if word.endswith("s") and len(word) > 4 else word
    if base in IRREGULAR_DEMONYMS or word in IRREGULAR_DEMONYMS:
        return True
    countries = country_names()
    for suffix, restore in (("n", ("",)), ("an", ("", "a", "e")), ("ian", ("", "a", "e", "ia")),
                            ("ese", ("", "a")), ("i", ("",)), ("ish", ("", "land"))):
        if base.endswith(suffix) and len(base) > len(suffix) + 2:
            stem = base[: -len(suffix)]
            if any(stem + r in countries for r in restore):
                return True
    return False
