"""Words and sentence templates for the sample news world, per language.

Every story reports one event (one of its category's ``events``) and picks
its key entities (people, a place, an organisation, two topical nouns, some
numbers) once; each publisher then tells it under one of the event's title
wordings, opens with the event's lead sentence, and goes on with its own
choice and order of the category's context ``sentences`` and the generic
ones, in its house style (a fixed subset of ``house_styles`` rewordings).
Articles about the same story therefore share their event and entities but
not their wording, which is what a similarity method has to see through; a
title never announces another event than its story's.

Template slots (``str.format_map``):

=================  ===========================================================
``person``         main person, full name
``surname``        main person's surname as used alone (``De Vries``)
``role``/``Role``  main person's function, as written before a name / capitalised
``other``          a second person, full name; ``other_role``/``Other_role``
``place``          a town or city
``org``            an organisation, written so it needs no article
``noun``/``Noun``  topical noun with its article (``de begroting``), capitalised
``noun_bare``      the same noun without article (headline style); ``Noun_bare``
``noun2``          a second topical noun; ``noun2_bare``
``number``         a count (formatted for the language: 1.250 / 1,250)
``count``          a second count, used by the generic sentences
``percent``        a percentage figure (3,4 / 3.4)
``amount``         millions (of euros, or plain "million" in English)
``small``          a small count (minutes)
``weekday``        the weekday of the story's day
=================  ===========================================================

German nouns are all feminine or neuter and only used as subject or object
or after accusative prepositions, so the article never needs declension. German roles carry a
masculine and a feminine form (``Minister|Ministerin``).
"""

from __future__ import annotations

from dataclasses import dataclass

CATEGORIES = ("politics", "economy", "sport", "tech", "culture", "world")
LANGUAGES = ("nl", "en", "de")


@dataclass(frozen=True)
class PageChrome:
    """Fixed words around an article on a publisher's page."""

    by: str
    more_news: str
    share: str
    cookie_notice: str
    accept: str
    newsletter_title: str
    newsletter_text: str
    subscribe: str
    rights: str
    photo: str
    privacy: str
    contact: str
    home: str
    feeds: str
    date_format: str  # strftime with numeric fields only, so the output never depends on the locale
    category_labels: dict[str, str]


@dataclass(frozen=True)
class Event:
    """One happening a story reports: its headline in a few wordings, and the sentence that opens a report.

    Every report of one story is about its one event, so every title of a
    story is one of these wordings (a person would call them the same news).
    """

    titles: tuple[str, ...]
    lead: str


@dataclass(frozen=True)
class Vocabulary:
    """Everything needed to write news in one language."""

    code: str
    female_first_names: tuple[str, ...]
    male_first_names: tuple[str, ...]
    last_names: tuple[str, ...]
    places: tuple[str, ...]
    weekdays: tuple[str, ...]  # Monday first, as date.weekday()
    thousands_separator: str
    decimal_separator: str
    organisations: dict[str, tuple[str, ...]]  # per category except "world"
    roles: dict[str, tuple[str, ...]]
    nouns: dict[str, tuple[str, ...]]
    events: dict[str, tuple[Event, ...]]  # per category: what a story can report
    sentences: dict[str, tuple[str, ...]]  # per category: context any report of a story may carry
    generic_sentences: tuple[str, ...]
    update_sentences: tuple[str, ...]
    house_styles: tuple[tuple[str, str], ...]  # (phrase, alternative): each publisher adopts some
    wire_title_prefix: str
    wire_credit: str  # closing line a syndicating publisher may add; slot {agency}
    chrome: PageChrome

    def format_number(self, value: int) -> str:
        return f"{value:,}".replace(",", self.thousands_separator)

    def format_decimal(self, value: float) -> str:
        return f"{value:.1f}".replace(".", self.decimal_separator)


def capitalise(text: str) -> str:
    """Upper-case the first character only.

    Also how Dutch writes a surname prefix when no first name precedes it
    ("de Vries" -> "De Vries"); "'s-Hertogenbosch" stays as it is.
    """
    return text[:1].upper() + text[1:] if text[:1].isalpha() else text


def role_form(role: str, female: bool) -> str:
    """German roles are written ``Minister|Ministerin``; other languages have one form."""
    masculine, _, feminine = role.partition("|")
    return feminine if (female and feminine) else masculine


# --- International entities: the same people, places and organisations in every
# language, so a "world" story can be told across languages. Places and world
# nouns are aligned by position across the three languages.

INTERNATIONAL_PEOPLE = (
    ("Amara Okafor", True),
    ("Lucía Ferreira", True),
    ("Jonas Lindqvist", False),
    ("Mireille Lefèvre", True),
    ("Tomasz Wiśniewski", False),
    ("Kenji Morita", False),
    ("Farah Haddad", True),
    ("Mateus Oliveira", False),
    ("Ingrid Solberg", True),
    ("Rafael Núñez", False),
    ("Søren Dahl", False),
    ("Yara Mansour", True),
    ("Chloé Marchand", True),
    ("Emeka Nwosu", False),
)
INTERNATIONAL_ORGANISATIONS = (
    "Aquila Relief",
    "Meridian Watch",
    "Borealis Forum",
    "Halcyon Trade Council",
    "Terra Nexus",
    "Blue Corridor Initiative",
)
INTERNATIONAL_PLACES = {
    "nl": (
        "Genève", "Brussel", "Wenen", "Kopenhagen", "Lissabon", "Warschau", "Caïro", "Nairobi", "Straatsburg",
        "Praag", "Athene", "Reykjavik",
    ),
    "en": (
        "Geneva", "Brussels", "Vienna", "Copenhagen", "Lisbon", "Warsaw", "Cairo", "Nairobi", "Strasbourg",
        "Prague", "Athens", "Reykjavík",
    ),
    "de": (
        "Genf", "Brüssel", "Wien", "Kopenhagen", "Lissabon", "Warschau", "Kairo", "Nairobi", "Straßburg",
        "Prag", "Athen", "Reykjavík",
    ),
}

DUTCH = Vocabulary(
    code="nl",
    female_first_names=(
        "Sanne", "Zoë", "Anouk", "Eline", "Floor", "Maartje", "Lotte", "Renée", "Inès", "Anaïs", "Femke",
        "Noor",
    ),
    male_first_names=(
        "Daan", "Noël", "Bram", "Joris", "Thijs", "Sem", "Ruben", "Wouter", "Gijs", "Jeroen", "Stijn", "Loïc",
    ),
    last_names=(
        "de Vries", "Jansen", "van den Berg", "Bakker", "Visser", "Smeets", "Peeters", "Claes",
        "Maes", "Willems", "van Dijk", "Hendrickx", "Verbeke", "de Smet", "Mertens", "Vermeulen",
        "Goossens", "van Leeuwen", "Wuyts", "Brouwer", "El Amrani", "Çelik",
    ),
    places=(
        "Utrecht", "Zwolle", "'s-Hertogenbosch", "Leeuwarden", "Antwerpen", "Gent", "Leuven", "Brugge",
        "Maastricht", "Groningen", "Hasselt", "Deventer", "Tilburg", "Mechelen", "Delft", "Arnhem",
    ),
    weekdays=("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"),
    thousands_separator=".",
    decimal_separator=",",
    organisations={
        "politics": ("Burgerbelang", "Nieuw Midden", "Groen Vooruit", "Lokaal Sterk"),
        "economy": ("Rijnland Energie", "Maasbank", "Zuidvrucht", "Lindeboom Verzekeringen"),
        "sport": ("VV Dijkzicht", "SC Heidebloem", "FC Scheldeoever", "Rapid Kempen"),
        "tech": ("Datavaart", "Polderchip", "Quantumhaven", "Netlinq"),
        "culture": (
            "Museum Aan de Vaart", "Festival Zeezicht", "Stadsschouwburg Noorderlicht", "Stichting Klankbord",
        ),
    },
    roles={
        "politics": ("minister", "staatssecretaris", "Kamerlid", "burgemeester", "fractievoorzitter"),
        "economy": ("topeconoom", "directeur", "bestuursvoorzitter", "analist"),
        "sport": ("trainer", "aanvoerder", "bondscoach", "doelman"),
        "tech": ("oprichter", "onderzoeker", "hoogleraar", "programmeur"),
        "culture": ("regisseur", "schrijver", "conservator", "dirigent"),
        "world": ("minister van Buitenlandse Zaken", "premier", "woordvoerder", "onderhandelaar"),
    },
    nouns={
        "politics": (
            "de begroting", "het stikstofplan", "de woningwet", "het coalitieakkoord", "de kieswet",
            "het asielbeleid", "de zorgpremie", "het klimaatfonds",
        ),
        "economy": (
            "de inflatie", "de rente", "de energierekening", "de woningmarkt", "de loonkloof",
            "het begrotingstekort", "de huurverhoging", "de exportheffing",
        ),
        "sport": (
            "de transfer", "de titelstrijd", "het stadionplan", "de jeugdopleiding", "de selectie",
            "de trainerswissel", "de bekerfinale", "de videoscheidsrechter",
        ),
        "tech": (
            "het datacentrum", "de chipfabriek", "de batterijfabriek", "het glasvezelnet", "het zonnepark",
            "de supercomputer", "het kwantumlab", "het windpark",
        ),
        "culture": (
            "het filmfestival", "de tentoonstelling", "de museumcollectie", "de boekenprijs",
            "het theaterseizoen", "de concertzaal", "de erfgoedlijst", "de operaproductie",
        ),
        "world": (
            "het vredesoverleg", "de graanexport", "het handelsverdrag", "de noodhulp", "het klimaatakkoord",
            "de grensovergang", "het staakt-het-vuren", "de waterverdeling",
        ),
    },
    events={
        "politics": (
            Event(
                (
                    "{Role} {surname} wil {noun_bare} nog dit jaar aanpassen",
                    "{surname} gaat {noun_bare} dit jaar op de schop nemen",
                    "{Role} {surname} kondigt herziening van {noun_bare} aan",
                ),
                "{Role} {person} maakte {weekday} bekend dat {noun} nog dit jaar op de schop gaat.",
            ),
            Event(
                (
                    "Kritiek op {noun_bare}: {org} eist opheldering",
                    "{org} wil opheldering van {surname} over {noun_bare}",
                    "{org} eist uitleg over {noun_bare}",
                ),
                "{org} eiste {weekday} dat {role} {person} opheldering geeft over de plannen voor {noun}.",
            ),
            Event(
                (
                    "{place} verdeeld over {noun_bare}",
                    "Fel debat in {place} over {noun_bare}",
                    "{Noun_bare} splijt gemeenteraad van {place}",
                ),
                "In de gemeenteraad van {place} leidde het voorstel over {noun} {weekday} tot een fel debat.",
            ),
            Event(
                (
                    "Ruim {number} handtekeningen tegen {noun_bare}",
                    "Petitie tegen {noun_bare} haalt {number} handtekeningen",
                    "{number} mensen tekenen tegen {noun_bare}",
                ),
                "Een petitie tegen {noun} was {weekday} al door ruim {number} mensen ondertekend.",
            ),
            Event(
                (
                    "{surname} onder vuur na uitspraken over {noun_bare}",
                    "Ophef over uitspraken van {role} {surname} over {noun_bare}",
                    "{Role} {surname} krijgt kritiek na opmerkingen over {noun_bare}",
                ),
                "{Role} {person} ligt onder vuur na uitspraken over {noun} van {weekday}.",
            ),
        ),
        "economy": (
            Event(
                (
                    "{org} rekent op {percent} procent groei ondanks zorgen over {noun_bare}",
                    "{org} houdt vast aan groei van {percent} procent",
                    "Ondanks {noun_bare} verwacht {org} {percent} procent groei",
                ),
                "{org} rekent voor komend jaar op een groei van {percent} procent, ondanks de onzekerheid rond {noun}.",
            ),
            Event(
                (
                    "{Role} {surname}: ‘{Noun_bare} raakt vooral gezinnen’",
                    "{Noun_bare} treft gezinnen het hardst, zegt {surname}",
                    "{surname} ({org}) waarschuwt voor gevolgen van {noun_bare} voor gezinnen",
                ),
                "{Role} {person} van {org} zei {weekday} dat {noun} vooral gezinnen raakt.",
            ),
            Event(
                (
                    "{org} schrapt {number} banen in {place}",
                    "{number} banen weg bij {org} in {place}",
                    "{org} kondigt verlies van {number} banen in {place} aan",
                ),
                "{org} maakte {weekday} bekend dat in {place} {number} banen verdwijnen.",
            ),
            Event(
                (
                    "Zorgen over {noun_bare} nemen toe in {place}",
                    "Ondernemers in {place} vrezen {noun_bare}",
                    "Groeiende onrust in {place} over {noun_bare}",
                ),
                "Ondernemers in {place} maken zich steeds meer zorgen over {noun}, blijkt uit een enquête die {weekday} verscheen.",
            ),
            Event(
                (
                    "Onzekerheid rond {noun_bare} kost {org} {amount} miljoen euro",
                    "{org} verliest {amount} miljoen euro door {noun_bare}",
                    "{Noun_bare} kost {org} {amount} miljoen",
                ),
                "De onzekerheid rond {noun} heeft {org} {amount} miljoen euro gekost, maakte het bedrijf {weekday} bekend.",
            ),
        ),
        "sport": (
            Event(
                (
                    "{surname} leidt {org} naar zege in {place}",
                    "{org} wint in {place} dankzij {surname}",
                    "{surname} blinkt uit bij zege van {org} in {place}",
                ),
                "{Role} {person} leidde {org} {weekday} naar de zege in {place}.",
            ),
            Event(
                (
                    "{org} haalt {person} binnen voor {amount} miljoen euro",
                    "{person} tekent bij {org} voor {amount} miljoen",
                    "{org} legt {amount} miljoen euro neer voor {person}",
                ),
                "{org} heeft {person} {weekday} vastgelegd voor {amount} miljoen euro.",
            ),
            Event(
                (
                    "Onrust bij {org} na discussie over {noun_bare}",
                    "{Noun_bare} zorgt voor onrust bij {org}",
                    "{org} in rep en roer door {noun_bare}",
                ),
                "Bij {org} is onrust ontstaan na een discussie over {noun}.",
            ),
            Event(
                (
                    "{Role} {surname} blijft ondanks kritiek",
                    "{org} houdt vast aan {role} {surname}",
                    "{surname} mag blijven bij {org}",
                ),
                "{org} maakte {weekday} bekend dat {role} {person} ondanks de kritiek aanblijft.",
            ),
            Event(
                (
                    "{number} supporters zien {org} stunten in {place}",
                    "{org} stunt in {place} voor {number} toeschouwers",
                    "Verrassing in {place}: {org} wint van de favoriet",
                ),
                "Voor {number} toeschouwers in {place} zorgde {org} {weekday} voor een verrassing.",
            ),
        ),
        "tech": (
            Event(
                (
                    "{org} investeert {amount} miljoen euro in {place}",
                    "{amount} miljoen euro van {org} voor {place}",
                    "{org} steekt {amount} miljoen in {noun_bare} in {place}",
                ),
                "{org} presenteerde {weekday} plannen om {amount} miljoen euro te investeren in {noun} in {place}.",
            ),
            Event(
                (
                    "Zorgen over {noun_bare}: toezichthouder grijpt in",
                    "Toezichthouder start onderzoek naar {noun_bare}",
                    "Toezichthouder neemt {noun_bare} onder de loep",
                ),
                "De toezichthouder kondigde {weekday} een onderzoek aan naar {noun} na aanhoudende zorgen.",
            ),
            Event(
                (
                    "{Role} {surname} waarschuwt voor gevolgen van {noun_bare}",
                    "{surname}: {noun_bare} belast stroomnet zwaar",
                    "{Noun_bare} kan stroomnet overbelasten, waarschuwt {surname}",
                ),
                "{Role} {person} waarschuwt dat {noun} een zware wissel trekt op het stroomnet.",
            ),
            Event(
                (
                    "{place} krijgt {noun_bare} met {number} banen",
                    "{number} banen door komst van {noun_bare} naar {place}",
                    "{Noun_bare} naar {place} levert {number} banen op",
                ),
                "{place} krijgt {noun}, wat naar verwachting {number} banen oplevert, werd {weekday} bekend.",
            ),
            Event(
                (
                    "Onderzoek van {org}: energieverbruik kan {percent} procent omlaag",
                    "Energieverbruik kan met {percent} procent dalen, stelt {org}",
                    "{org} ziet {percent} procent energiebesparing",
                ),
                "Onderzoekers van {org} ontdekten dat het energieverbruik met {percent} procent kan dalen.",
            ),
        ),
        "culture": (
            Event(
                (
                    "{Role} {surname} opent nieuw seizoen in {place}",
                    "Nieuw seizoen in {place} geopend door {surname}",
                    "{surname} trapt seizoen af in {place}",
                ),
                "{Role} {person} opent {weekday} in {place} het nieuwe seizoen.",
            ),
            Event(
                (
                    "Recordaantal bezoekers verwacht voor {noun_bare}",
                    "{Noun_bare} trekt naar verwachting recordpubliek",
                    "Organisatie rekent op {number} bezoekers voor {noun_bare}",
                ),
                "De organisatie rekent voor {noun} op ruim {number} bezoekers, een record voor {place}.",
            ),
            Event(
                (
                    "{org} krijgt {amount} miljoen euro voor {noun_bare}",
                    "{amount} miljoen euro extra voor {org}",
                    "{org} ontvangt {amount} miljoen subsidie voor {noun_bare}",
                ),
                "{org} ontvangt {amount} miljoen euro extra subsidie voor {noun}.",
            ),
            Event(
                (
                    "{person} wint prijs met werk over {place}",
                    "Prijs voor werk van {person} over {place}",
                    "{person} bekroond voor werk over {place}",
                ),
                "{person} won {weekday} een prijs voor een werk over {place}.",
            ),
            Event(
                (
                    "Ophef over {noun_bare} in {place}",
                    "{Noun_bare} zorgt voor ophef in {place}",
                    "Commotie in {place} rond {noun_bare}",
                ),
                "{Noun} zorgt voor ophef in {place}.",
            ),
        ),
        "world": (
            Event(
                (
                    "{Role} {surname} spreekt in {place} van historisch moment",
                    "‘Historisch moment’, zegt {surname} in {place}",
                    "{surname} spreekt van historische dag in {place}",
                ),
                "{Role} {person} sprak {weekday} in {place} van ‘een historisch moment’.",
            ),
            Event(
                (
                    "Overleg over {noun_bare} in {place} loopt vast",
                    "Geen vooruitgang in overleg over {noun_bare} in {place}",
                    "Gesprekken over {noun_bare} in {place} zitten muurvast",
                ),
                "Het overleg over {noun} in {place} liep {weekday} vast zonder resultaat.",
            ),
            Event(
                (
                    "{org}: zeker {number} mensen op de vlucht",
                    "Zeker {number} mensen ontheemd, meldt {org}",
                    "{number} mensen slaan op de vlucht, zegt {org}",
                ),
                "Volgens {org} zijn zeker {number} mensen op de vlucht geslagen.",
            ),
            Event(
                (
                    "{org} trekt {amount} miljoen euro uit voor {noun2_bare}",
                    "{amount} miljoen euro van {org} voor {noun2_bare}",
                    "{org} maakt {amount} miljoen vrij voor {noun2_bare}",
                ),
                "{org} trekt {amount} miljoen euro uit voor {noun2}.",
            ),
            Event(
                (
                    "Voorzichtige doorbraak in {place} rond {noun_bare}",
                    "Eerste akkoord over {noun_bare} in {place}",
                    "Onderhandelaars in {place} boeken vooruitgang rond {noun_bare}",
                ),
                "Onderhandelaars in {place} bereikten {weekday} een voorzichtige doorbraak rond {noun}.",
            ),
        ),
    },
    sentences={
        "politics": (
            "De oppositie wil dat {surname} uiterlijk volgende week een brief stuurt over {noun} en {noun2}.",
            "Volgens een peiling steunt {percent} procent van de kiezers de plannen voor {noun}.",
            "{org} dreigt het akkoord over {noun} niet langer te steunen.",
            "Het kabinet hoopt met de maatregel ruim {number} huishoudens te bereiken.",
        ),
        "economy": (
            "{Role} {person} van {org} spreekt van ‘een kantelpunt voor de sector’.",
            "In de regio {place} werken ruim {number} mensen bij bedrijven die direct worden geraakt.",
            "Economen waarschuwen dat {noun} en {noun2} elkaar versterken.",
            "De beurs reageerde {weekday} kalm: de index sloot {percent} procent hoger.",
            "Het bedrijf boekte vorig jaar een omzet van {amount} miljoen euro.",
        ),
        "sport": (
            "De discussie over {noun} houdt de club al weken bezig.",
            "Bij {org} wordt intussen gesproken over {noun2}.",
            "{org} verloor slechts {small} van de laatste twintig wedstrijden.",
            "De volgende wedstrijd staat over een week op {weekday} op het programma.",
        ),
        "tech": (
            "Volgens {surname} is Europa te afhankelijk geworden van buitenlandse leveranciers.",
            "Brancheorganisaties in {place} volgen {noun} op de voet.",
            "Ook plannen voor {noun2} liggen op tafel.",
            "Het project kost naar schatting {amount} miljoen euro.",
        ),
        "culture": (
            "Critici noemen {noun} ‘het culturele hoogtepunt van het jaar’.",
            "Bij {org} zijn werken te zien die nooit eerder werden getoond.",
            "{surname} werkte bijna drie jaar aan het project.",
        ),
        "world": (
            "De Verenigde Naties roepen alle partijen op snel afspraken te maken over {noun}.",
            "Diplomaten in {place} verwachten de komende weken nieuwe gesprekken.",
            "Ook {noun2} staat op de agenda.",
        ),
    },
    generic_sentences=(
        "Volgens {org} gaat het om een ingrijpende verandering voor {place}.",
        "“We hebben geen tijd meer te verliezen”, zei {surname} {weekday} tegen verslaggevers.",
        "Critici wijzen erop dat {noun} al jaren ter discussie staat.",
        "{Other_role} {other} noemde de gang van zaken ‘teleurstellend, maar niet verrassend’.",
        "In {place} reageerden bewoners verdeeld op het nieuws.",
        "Het is nog onduidelijk wanneer er een definitief besluit valt over {noun}.",
        "Eerder dit jaar ging het nog om ongeveer {count} betrokkenen.",
        "{surname} benadrukte dat er overleg is met {org}.",
        "Een woordvoerder van {org} wilde niet ingaan op vragen over {noun}.",
        "Het gaat volgens ingewijden om een bedrag van {amount} miljoen euro.",
        "De discussie over {noun} speelt ook in andere delen van het land.",
        "Ook {other} ziet ruimte voor een compromis: ‘Niemand is gebaat bij verdere vertraging.’",
        "Naar verwachting komt er volgende week meer duidelijkheid.",
        "Het onderwerp staat {weekday}avond opnieuw op de agenda in {place}.",
        "Bij het overleg in {place} waren naar schatting {count} mensen aanwezig.",
        "Dat blijkt uit cijfers die {org} {weekday} publiceerde: een stijging van {percent} procent.",
    ),
    update_sentences=(
        "Inmiddels heeft ook {org} gereageerd: de organisatie spreekt van ‘een belangrijke stap’.",
        "Dit artikel is bijgewerkt met een reactie van {other}.",
    ),
    house_styles=(
        ("zei ", "verklaarde "),
        ("volgende week", "komende week"),
        ("ruim ", "meer dan "),
        ("benadrukte", "onderstreepte"),
        ("Critici wijzen erop", "Tegenstanders wijzen erop"),
        ("het nieuws", "het bericht"),
        ("nog onduidelijk", "nog niet bekend"),
        ("Naar verwachting", "Vermoedelijk"),
        ("zeker ", "minstens "),
        ("waarschuwt dat", "wijst erop dat"),
        ("fel debat", "verhit debat"),
        ("zichtbaar opgelucht", "duidelijk opgelucht"),
    ),
    wire_title_prefix="Net binnen: ",
    wire_credit="Dit bericht is overgenomen van persbureau {agency}.",
    chrome=PageChrome(
        by="Door",
        more_news="Meer nieuws",
        share="Deel dit artikel",
        cookie_notice="Wij gebruiken cookies om onze website te verbeteren. Lees meer in onze privacyverklaring.",
        accept="Akkoord",
        newsletter_title="Nieuwsbrief",
        newsletter_text="Ontvang elke ochtend het belangrijkste nieuws in je mailbox.",
        subscribe="Aanmelden",
        rights="Alle rechten voorbehouden.",
        photo="Foto",
        privacy="Privacy",
        contact="Contact",
        home="Voorpagina",
        feeds="Nieuwsfeeds",
        date_format="%d-%m-%Y %H:%M",
        category_labels={
            "politics": "Politiek", "economy": "Economie", "sport": "Sport",
            "tech": "Tech", "culture": "Cultuur", "world": "Buitenland",
        },
    ),
)

ENGLISH = Vocabulary(
    code="en",
    female_first_names=(
        "Olivia", "Zoë", "Priya", "Hannah", "Siobhan", "Grace", "Amelia", "Renée", "Niamh", "Chloe", "Maya",
        "Imogen",
    ),
    male_first_names=(
        "James", "Oliver", "Dominic", "Kwame", "Rhys", "Ethan", "Marcus", "Declan", "Tobias", "Jamal",
        "Callum", "Luis",
    ),
    last_names=(
        "Hartley", "Okonkwo", "Pemberton", "Fairbanks", "Whitmore", "O'Connell", "Ashworth", "Delgado",
        "Brennan", "Callaghan", "Sutherland", "Nakamura", "Holloway", "Fitzgerald", "Kowalski", "Reyes",
        "Thornbury", "McAllister", "Adeyemi", "Lindgren",
    ),
    places=(
        "Leeds", "Bristol", "Norwich", "Cardiff", "Glasgow", "Brighton", "York", "Swansea",
        "Portland", "Milwaukee", "Sacramento", "Albany", "Des Moines", "Tucson", "Savannah", "Boise",
    ),
    weekdays=("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    thousands_separator=",",
    decimal_separator=".",
    organisations={
        "politics": ("Civic Alliance", "Forward Together", "Commonwealth Greens", "Local First"),
        "economy": ("Harbourline Energy", "Kestrel Rail", "Ashdown Capital", "Brightwater Foods"),
        "sport": ("Fenwick Rovers", "Eastbridge United", "Harlow Athletic", "Lakeside FC"),
        "tech": ("Quillsoft", "Northgate Labs", "Vantric Systems", "Orbitline"),
        "culture": ("Marlowe Gallery", "Riverside Playhouse", "Kingsbury Festival", "Elmstead Arts Trust"),
    },
    roles={
        "politics": ("Minister", "Senator", "Mayor", "Councillor", "Governor"),
        "economy": ("Chief Economist", "Chief Executive", "Analyst", "Chair"),
        "sport": ("Coach", "Captain", "Manager", "Goalkeeper"),
        "tech": ("Founder", "Professor", "Researcher", "Chief Engineer"),
        "culture": ("Director", "Author", "Curator", "Conductor"),
        "world": ("Foreign Minister", "Prime Minister", "Spokesperson", "Envoy"),
    },
    nouns={
        "politics": (
            "the budget", "the planning reform", "the housing bill", "the coalition deal", "the voting reform",
            "the asylum policy", "the care levy", "the climate fund",
        ),
        "economy": (
            "the inflation rate", "the interest rate", "the energy price cap", "the housing market",
            "the pay gap", "the budget deficit", "the rent increase", "the export levy",
        ),
        "sport": (
            "the transfer", "the title race", "the stadium plan", "the youth academy", "the squad",
            "the managerial change", "the cup final", "the video referee",
        ),
        "tech": (
            "the data centre", "the chip plant", "the battery factory", "the fibre network", "the solar farm",
            "the supercomputer", "the quantum lab", "the wind farm",
        ),
        "culture": (
            "the film festival", "the exhibition", "the museum collection", "the book prize",
            "the theatre season", "the concert hall", "the heritage list", "the opera production",
        ),
        "world": (
            "the peace plan", "the grain deal", "the trade agreement", "the aid corridor",
            "the climate accord", "the border crossing", "the ceasefire", "the water-sharing deal",
        ),
    },
    events={
        "politics": (
            Event(
                (
                    "{Role} {surname} wants {noun_bare} changed this year",
                    "{surname} to rework {noun_bare} before the year is out",
                    "{Role} {surname} announces overhaul of {noun_bare}",
                ),
                "{Role} {person} announced on {weekday} that {noun} would be overhauled before the end of the year.",
            ),
            Event(
                (
                    "Criticism of {noun_bare}: {org} demands answers",
                    "{org} demands answers over {noun_bare}",
                    "{org} wants clarity from {surname} on {noun_bare}",
                ),
                "{org} on {weekday} demanded that {Role} {person} explain the plans for {noun}.",
            ),
            Event(
                (
                    "{place} divided over {noun_bare}",
                    "Heated debate in {place} over {noun_bare}",
                    "{Noun_bare} splits councillors in {place}",
                ),
                "In {place}, the proposal on {noun} sparked a heated debate among councillors on {weekday}.",
            ),
            Event(
                (
                    "More than {number} sign petition against {noun_bare}",
                    "Petition against {noun_bare} passes {number} signatures",
                    "{number} people sign up against {noun_bare}",
                ),
                "A petition against {noun} had gathered more than {number} signatures by {weekday}.",
            ),
            Event(
                (
                    "{surname} under fire over remarks on {noun_bare}",
                    "Remarks on {noun_bare} land {Role} {surname} in trouble",
                    "{Role} {surname} criticised for comments on {noun_bare}",
                ),
                "{Role} {person} came under fire on {weekday} for remarks about {noun}.",
            ),
        ),
        "economy": (
            Event(
                (
                    "{org} expects {percent}% growth despite {noun_bare} worries",
                    "{org} sticks to {percent}% growth forecast",
                    "Despite {noun_bare}, {org} sees {percent}% growth",
                ),
                "{org} expects growth of {percent}% next year, despite the uncertainty surrounding {noun}.",
            ),
            Event(
                (
                    "{Role} {surname}: “{Noun_bare} hits families hardest”",
                    "{Noun_bare} hurts families most, says {surname}",
                    "{org}’s {surname} warns families bear the brunt of {noun_bare}",
                ),
                "{Role} {person} of {org} said on {weekday} that {noun} hits families hardest.",
            ),
            Event(
                (
                    "{org} to cut {number} jobs in {place}",
                    "{number} jobs to go at {org} in {place}",
                    "{org} announces {number} job cuts in {place}",
                ),
                "{org} announced on {weekday} that it will cut {number} jobs in {place}.",
            ),
            Event(
                (
                    "Worries over {noun_bare} grow in {place}",
                    "Concern about {noun_bare} mounts in {place}",
                    "{place} businesses fear {noun_bare}",
                ),
                "Businesses in {place} are increasingly worried about {noun}, a survey published on {weekday} shows.",
            ),
            Event(
                (
                    "Uncertainty over {noun_bare} costs {org} {amount} million",
                    "{org} loses {amount} million over {noun_bare}",
                    "{Noun_bare} leaves {org} {amount} million short",
                ),
                "{org} said on {weekday} that the uncertainty over {noun} has cost it {amount} million.",
            ),
        ),
        "sport": (
            Event(
                (
                    "{surname} leads {org} to victory in {place}",
                    "{org} win in {place} thanks to {surname}",
                    "{surname} shines as {org} win in {place}",
                ),
                "{Role} {person} led {org} to victory in {place} on {weekday}.",
            ),
            Event(
                (
                    "{org} sign {person} in {amount} million deal",
                    "{person} joins {org} for {amount} million",
                    "{org} land {person} for {amount} million",
                ),
                "{org} signed {person} on {weekday} in a deal worth {amount} million.",
            ),
            Event(
                (
                    "Turmoil at {org} after row over {noun_bare}",
                    "Row over {noun_bare} shakes {org}",
                    "{org} in turmoil over {noun_bare}",
                ),
                "A row over {noun} has thrown {org} into turmoil.",
            ),
            Event(
                (
                    "{Role} {surname} stays on despite criticism",
                    "{org} stand by {Role} {surname}",
                    "Criticised {surname} keeps job at {org}",
                ),
                "{org} said on {weekday} that {Role} {person} will stay on despite the criticism.",
            ),
            Event(
                (
                    "{number} fans watch {org} cause upset in {place}",
                    "{org} stun the favourites in front of {number} fans",
                    "Upset in {place}: {org} beat the odds",
                ),
                "In front of {number} spectators in {place}, {org} caused an upset on {weekday}.",
            ),
        ),
        "tech": (
            Event(
                (
                    "{org} invests {amount} million in {place}",
                    "{amount} million investment by {org} in {place}",
                    "{org} to spend {amount} million on {noun_bare} in {place}",
                ),
                "{org} presented plans on {weekday} to invest {amount} million in {noun} in {place}.",
            ),
            Event(
                (
                    "Concerns over {noun_bare}: regulator steps in",
                    "Regulator opens review of {noun_bare}",
                    "Watchdog steps in over {noun_bare}",
                ),
                "The regulator announced a review of {noun} on {weekday} after mounting concerns.",
            ),
            Event(
                (
                    "{Role} {surname} warns of strain from {noun_bare}",
                    "{Noun_bare} could strain the grid, warns {surname}",
                    "{surname}: {noun_bare} puts heavy load on power grid",
                ),
                "{Role} {person} warns that {noun} could put heavy strain on the power grid.",
            ),
            Event(
                (
                    "{place} gets {noun_bare} with {number} jobs",
                    "{number} jobs as {noun_bare} comes to {place}",
                    "{Noun_bare} for {place} to bring {number} jobs",
                ),
                "{place} will get {noun}, which is expected to create {number} jobs, it was announced on {weekday}.",
            ),
            Event(
                (
                    "{org} study: energy use could fall by {percent}%",
                    "Energy use can drop {percent}%, {org} researchers find",
                    "{org} researchers see {percent}% energy saving",
                ),
                "Researchers at {org} found that energy use could fall by {percent}%.",
            ),
        ),
        "culture": (
            Event(
                (
                    "{Role} {surname} opens new season in {place}",
                    "New season in {place} opened by {surname}",
                    "{surname} kicks off the season in {place}",
                ),
                "{Role} {person} opens the new season in {place} on {weekday}.",
            ),
            Event(
                (
                    "Record crowds expected for {noun_bare}",
                    "{Noun_bare} set to draw record crowds",
                    "Organisers expect {number} visitors for {noun_bare}",
                ),
                "Organisers expect more than {number} visitors for {noun}, a record for {place}.",
            ),
            Event(
                (
                    "{org} receives {amount} million for {noun_bare}",
                    "{amount} million in extra funding for {org}",
                    "{org} gets {amount} million boost for {noun_bare}",
                ),
                "{org} is receiving an extra {amount} million in funding for {noun}.",
            ),
            Event(
                (
                    "{person} wins prize for work about {place}",
                    "Prize for {person}’s work on {place}",
                    "{person} honoured for work about {place}",
                ),
                "{person} won a prize on {weekday} for a work about {place}.",
            ),
            Event(
                (
                    "Row over {noun_bare} in {place}",
                    "{Noun_bare} causes a stir in {place}",
                    "Controversy in {place} over {noun_bare}",
                ),
                "{Noun} has caused a row in {place}.",
            ),
        ),
        "world": (
            Event(
                (
                    "{Role} {surname} hails “historic moment” in {place}",
                    "“A historic moment”, says {surname} in {place}",
                    "{surname} speaks of a historic day in {place}",
                ),
                "{Role} {person} spoke of “a historic moment” in {place} on {weekday}.",
            ),
            Event(
                (
                    "Talks on {noun_bare} in {place} stall",
                    "No progress in {place} talks on {noun_bare}",
                    "{Noun_bare} talks in {place} hit deadlock",
                ),
                "Talks on {noun} in {place} stalled on {weekday} without a result.",
            ),
            Event(
                (
                    "{org}: at least {number} people displaced",
                    "At least {number} people flee their homes, says {org}",
                    "{number} people displaced, {org} reports",
                ),
                "According to {org}, at least {number} people have fled their homes.",
            ),
            Event(
                (
                    "{org} pledges {amount} million for {noun2_bare}",
                    "{amount} million from {org} for {noun2_bare}",
                    "{org} to give {amount} million for {noun2_bare}",
                ),
                "{org} is making {amount} million available for {noun2}.",
            ),
            Event(
                (
                    "Cautious breakthrough in {place} on {noun_bare}",
                    "First agreement on {noun_bare} reached in {place}",
                    "Negotiators in {place} make progress on {noun_bare}",
                ),
                "Negotiators in {place} reached a cautious breakthrough on {noun} on {weekday}.",
            ),
        ),
    },
    sentences={
        "politics": (
            "The opposition wants {surname} to deliver a report on {noun} and {noun2} by next week.",
            "According to a poll, {percent}% of voters back the plans for {noun}.",
            "{org} has threatened to withdraw its support for the agreement on {noun}.",
            "The government hopes the measure will reach more than {number} households.",
        ),
        "economy": (
            "{Role} {person} of {org} described it as “a turning point for the sector”.",
            "More than {number} people in the {place} area work for businesses that are directly affected.",
            "Economists warn that {noun} and {noun2} are reinforcing each other.",
            "Markets took the news calmly on {weekday}, with the index closing {percent}% higher.",
            "The company reported revenue of {amount} million last year.",
        ),
        "sport": (
            "The debate over {noun} has occupied the club for weeks.",
            "At {org}, talks about {noun2} are meanwhile under way.",
            "{org} have lost only {small} of their last twenty matches.",
            "The club’s next match is a week on {weekday}.",
        ),
        "tech": (
            "In {surname}’s view, the country has become too dependent on foreign suppliers.",
            "Industry groups in {place} have followed {noun} closely.",
            "Plans for {noun2} are also on the table.",
            "The project is expected to cost {amount} million.",
        ),
        "culture": (
            "Critics have called {noun} “the cultural highlight of the year”.",
            "Works that have never been shown before are on display at {org}.",
            "{surname} spent almost three years on the project.",
        ),
        "world": (
            "The United Nations has urged all sides to reach agreement on {noun} quickly.",
            "Diplomats in {place} expect further meetings in the coming weeks.",
            "The question of {noun2} is also on the agenda.",
        ),
    },
    generic_sentences=(
        "According to {org}, the change will have far-reaching consequences for {place}.",
        "“We have no time left to lose,” {surname} told reporters on {weekday}.",
        "Critics point out that {noun} has been contested for years.",
        "{Other_role} {other} called the situation “disappointing, but not surprising”.",
        "In {place}, residents gave the news a mixed reception.",
        "It remains unclear when a final decision on {noun} will be made.",
        "Earlier this year, around {count} people were affected.",
        "{surname} stressed that talks with {org} were ongoing.",
        "A spokesperson for {org} declined to answer questions about {noun}.",
        "People familiar with the matter put the sum at {amount} million.",
        "The debate over {noun} is also playing out in other parts of the country.",
        "{other} also sees room for compromise: “Nobody benefits from further delay.”",
        "More clarity is expected next week.",
        "The issue is back on the agenda in {place} on {weekday} evening.",
        "An estimated {count} people attended the meeting in {place}.",
        "Figures published by {org} on {weekday} show an increase of {percent}%.",
    ),
    update_sentences=(
        "{org} has since responded, calling it “an important step”.",
        "This article has been updated with a response from {other}.",
    ),
    house_styles=(
        (" told reporters", " told journalists"),
        ("next week", "in the coming days"),
        ("More than ", "Over "),
        ("An estimated ", "Roughly "),
        ("stressed", "emphasised"),
        ("Critics point out", "Opponents note"),
        ("the news", "the announcement"),
        ("It remains unclear", "It is not yet clear"),
        ("More clarity is expected", "Further details are expected"),
        ("at least ", "no fewer than "),
        ("warns that", "cautions that"),
        ("heated debate", "fierce debate"),
    ),
    wire_title_prefix="Just in: ",
    wire_credit="This report was supplied by {agency}.",
    chrome=PageChrome(
        by="By",
        more_news="More news",
        share="Share this article",
        cookie_notice="We use cookies to improve our website. Read more in our privacy policy.",
        accept="Accept",
        newsletter_title="Newsletter",
        newsletter_text="Get the day’s most important stories in your inbox every morning.",
        subscribe="Sign up",
        rights="All rights reserved.",
        photo="Photo",
        privacy="Privacy",
        contact="Contact",
        home="Front page",
        feeds="News feeds",
        date_format="%Y-%m-%d %H:%M",
        category_labels={
            "politics": "Politics", "economy": "Business", "sport": "Sport",
            "tech": "Technology", "culture": "Culture", "world": "World",
        },
    ),
)

GERMAN = Vocabulary(
    code="de",
    female_first_names=(
        "Anna", "Lena", "Sophie", "Marlene", "Franziska", "Jana", "Katharina", "Zoë", "Elif", "Theresa",
        "Miriam", "Ines",
    ),
    male_first_names=(
        "Jürgen", "Lukas", "Matthias", "Björn", "Tobias", "Günther", "Felix", "Maximilian", "Jörg", "Stefan",
        "Niklas", "Emre",
    ),
    last_names=(
        "Müller", "Schäfer", "Weiß", "Krüger", "Groß", "Hoffmann", "Köhler", "Fuchs",
        "Lehmann", "Strauß", "Wagner", "Brandstätter", "Huber", "Gruber", "Pichler", "Özdemir",
        "Böhm", "Hofbauer", "Jäger", "Vogt",
    ),
    places=(
        "Köln", "Düsseldorf", "Leipzig", "Würzburg", "Göttingen", "Lübeck", "Mainz", "Freiburg",
        "Graz", "Linz", "Salzburg", "Innsbruck", "Klagenfurt", "Regensburg", "Münster", "Saarbrücken",
    ),
    weekdays=("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"),
    thousands_separator=".",
    decimal_separator=",",
    organisations={
        "politics": ("Neue Mitte", "Bürgerliste Zukunft", "Grüne Allianz", "Heimat und Fortschritt"),
        "economy": ("Rheintal Energie", "Nordwerk Logistik", "Isarbank", "Brenner Stahl"),
        "sport": ("FC Lindenberg", "SV Eichenau", "TSV Mühlbach", "Rot-Weiß Hagenau"),
        "tech": ("Quantix Systems", "Datenwerk Süd", "Lichtfeld Labs", "Helion Chips"),
        "culture": ("Kunsthalle Weserau", "Festspielhaus Grünbach", "Theater am Fluss", "Literaturhaus Ostufer"),
    },
    roles={
        "politics": (
            "Minister|Ministerin", "Staatssekretär|Staatssekretärin", "Bürgermeister|Bürgermeisterin",
            "Fraktionschef|Fraktionschefin", "Landrat|Landrätin",
        ),
        "economy": (
            "Chefvolkswirt|Chefvolkswirtin", "Vorstandschef|Vorstandschefin", "Analyst|Analystin",
            "Geschäftsführer|Geschäftsführerin",
        ),
        "sport": ("Trainer|Trainerin", "Kapitän|Kapitänin", "Sportdirektor|Sportdirektorin", "Torhüter|Torhüterin"),
        "tech": ("Gründer|Gründerin", "Forscher|Forscherin", "Professor|Professorin", "Entwickler|Entwicklerin"),
        "culture": ("Regisseur|Regisseurin", "Autor|Autorin", "Kurator|Kuratorin", "Dirigent|Dirigentin"),
        "world": (
            "Außenminister|Außenministerin", "Premierminister|Premierministerin", "Sprecher|Sprecherin",
            "Unterhändler|Unterhändlerin",
        ),
    },
    nouns={
        "politics": (
            "die Steuerreform", "die Schuldenbremse", "das Heizungsgesetz", "die Mietpreisbremse",
            "die Wahlrechtsreform", "das Klimageld", "die Grundsteuer", "das Bürgergeld",
        ),
        "economy": (
            "die Inflation", "die Zinswende", "die Energiepreisbremse", "die Wohnungsnot", "die Lohnlücke",
            "die Haushaltslücke", "die Mieterhöhung", "die Exportabgabe",
        ),
        "sport": (
            "die Titelverteidigung", "die Kaderplanung", "das Pokalfinale", "die Trainerfrage",
            "das Stadionprojekt", "die Nachwuchsarbeit", "die Vertragsverlängerung", "die Relegation",
        ),
        "tech": (
            "das Rechenzentrum", "die Chipfabrik", "die Batteriefabrik", "das Glasfasernetz",
            "die Solaranlage", "die Supercomputer-Anlage", "das Quantenlabor", "die Windkraftanlage",
        ),
        "culture": (
            "die Ausstellung", "das Filmfestival", "die Museumssammlung", "die Buchmesse",
            "das Theaterfestival", "die Konzertreihe", "die Opernpremiere", "das Kulturerbe",
        ),
        "world": (
            "die Friedensinitiative", "die Getreideausfuhr", "das Handelsabkommen", "die Nothilfe",
            "das Klimaabkommen", "die Grenzöffnung", "die Waffenruhe", "die Wasserverteilung",
        ),
    },
    events={
        "politics": (
            Event(
                (
                    "{Role} {surname} will {noun_bare} noch dieses Jahr ändern",
                    "{surname} will {noun_bare} grundlegend überarbeiten",
                    "{Role} {surname} kündigt Umbau bei {noun_bare} an",
                ),
                "{Role} {person} kündigte am {weekday} an, {noun} noch in diesem Jahr grundlegend zu überarbeiten.",
            ),
            Event(
                (
                    "Streit um {noun_bare}: {org} fordert Aufklärung",
                    "{org} verlangt Antworten zu {noun_bare}",
                    "{org} fordert von {surname} Klarheit über {noun_bare}",
                ),
                "{org} forderte am {weekday} von {surname} Aufklärung über die Pläne für {noun}.",
            ),
            Event(
                (
                    "{place} uneins über {noun_bare}",
                    "Hitzige Debatte in {place} über {noun_bare}",
                    "{Noun_bare} spaltet den Stadtrat von {place}",
                ),
                "Im Stadtrat von {place} löste der Vorschlag über {noun} am {weekday} eine hitzige Debatte aus.",
            ),
            Event(
                (
                    "Mehr als {number} Unterschriften gegen {noun_bare}",
                    "Petition gegen {noun_bare} erreicht {number} Unterschriften",
                    "{number} Menschen unterschreiben gegen {noun_bare}",
                ),
                "Eine Petition gegen {noun} hatte am {weekday} bereits mehr als {number} Unterschriften.",
            ),
            Event(
                (
                    "{surname} in der Kritik nach Äußerungen über {noun_bare}",
                    "Wirbel um Äußerungen von {surname} zu {noun_bare}",
                    "{Role} {surname} gerät wegen {noun_bare} unter Druck",
                ),
                "{Role} {person} steht nach Äußerungen über {noun} vom {weekday} in der Kritik.",
            ),
        ),
        "economy": (
            Event(
                (
                    "{org} rechnet mit {percent} Prozent Wachstum trotz Sorge um {noun_bare}",
                    "{org} hält an Wachstumsprognose von {percent} Prozent fest",
                    "Trotz {noun_bare}: {org} erwartet {percent} Prozent Wachstum",
                ),
                "{org} rechnet für das kommende Jahr mit einem Wachstum von {percent} Prozent – trotz der Unsicherheit um {noun}.",
            ),
            Event(
                (
                    "{Role} {surname}: „{Noun_bare} trifft vor allem Familien“",
                    "{Noun_bare} belastet Familien am stärksten, sagt {surname}",
                    "{surname} von {org} warnt vor Folgen von {noun_bare} für Familien",
                ),
                "{Role} {person} von {org} sagte am {weekday}, {noun} treffe vor allem Familien.",
            ),
            Event(
                (
                    "{org} streicht {number} Stellen in {place}",
                    "{number} Stellen fallen bei {org} in {place} weg",
                    "{org} kündigt Abbau von {number} Stellen in {place} an",
                ),
                "{org} gab am {weekday} bekannt, in {place} {number} Stellen zu streichen.",
            ),
            Event(
                (
                    "Sorge um {noun_bare} wächst in {place}",
                    "Unternehmen in {place} fürchten {noun_bare}",
                    "Wachsende Unruhe in {place} wegen {noun_bare}",
                ),
                "Unternehmen in {place} sorgen sich zunehmend um {noun}, wie eine am {weekday} veröffentlichte Umfrage zeigt.",
            ),
            Event(
                (
                    "Unsicherheit um {noun_bare} kostet {org} {amount} Millionen Euro",
                    "{org} verliert {amount} Millionen Euro wegen {noun_bare}",
                    "{Noun_bare} kostet {org} {amount} Millionen",
                ),
                "Die Unsicherheit um {noun} hat {org} nach eigenen Angaben vom {weekday} {amount} Millionen Euro gekostet.",
            ),
        ),
        "sport": (
            Event(
                (
                    "{surname} führt {org} zum Sieg in {place}",
                    "{org} gewinnt in {place} dank {surname}",
                    "{surname} glänzt beim Sieg von {org} in {place}",
                ),
                "{Role} {person} führte {org} am {weekday} in {place} zum Sieg.",
            ),
            Event(
                (
                    "{org} holt {person} für {amount} Millionen Euro",
                    "{person} wechselt für {amount} Millionen zu {org}",
                    "{org} verpflichtet {person} für {amount} Millionen Euro",
                ),
                "{org} hat {person} am {weekday} für {amount} Millionen Euro verpflichtet.",
            ),
            Event(
                (
                    "Unruhe bei {org} nach Streit um {noun_bare}",
                    "Streit um {noun_bare} erschüttert {org}",
                    "{org} in Aufruhr wegen {noun_bare}",
                ),
                "Bei {org} herrscht nach einem Streit um {noun} Unruhe.",
            ),
            Event(
                (
                    "{Role} {surname} bleibt trotz Kritik",
                    "{org} hält an {surname} fest",
                    "{surname} darf bei {org} bleiben",
                ),
                "{org} teilte am {weekday} mit, dass {role} {person} trotz der Kritik bleibt.",
            ),
            Event(
                (
                    "{number} Fans sehen Überraschung von {org} in {place}",
                    "{org} überrascht in {place} vor {number} Zuschauern",
                    "Überraschung in {place}: {org} schlägt den Favoriten",
                ),
                "Vor {number} Zuschauern in {place} sorgte {org} am {weekday} für eine Überraschung.",
            ),
        ),
        "tech": (
            Event(
                (
                    "{org} investiert {amount} Millionen Euro in {place}",
                    "{amount} Millionen Euro von {org} für {place}",
                    "{org} steckt {amount} Millionen in {noun_bare} in {place}",
                ),
                "{org} stellte am {weekday} Pläne vor, {amount} Millionen Euro in {noun} in {place} zu investieren.",
            ),
            Event(
                (
                    "Sorge um {noun_bare}: Aufsicht greift ein",
                    "Aufsichtsbehörde prüft {noun_bare}",
                    "Behörde nimmt {noun_bare} unter die Lupe",
                ),
                "Die Aufsichtsbehörde kündigte am {weekday} nach anhaltender Sorge eine Prüfung für {noun} an.",
            ),
            Event(
                (
                    "{Role} {surname} warnt vor Folgen für das Stromnetz",
                    "{surname}: {noun_bare} belastet das Stromnetz",
                    "{Noun_bare} könnte Stromnetz überlasten, warnt {surname}",
                ),
                "{Role} {person} warnt, dass {noun} das Stromnetz stark belasten könnte.",
            ),
            Event(
                (
                    "{place} bekommt {noun_bare} mit {number} Arbeitsplätzen",
                    "{number} neue Jobs durch {noun_bare} in {place}",
                    "{Noun_bare} für {place} bringt {number} Arbeitsplätze",
                ),
                "Wie am {weekday} bekannt wurde, bekommt {place} {noun} – mit {number} neuen Arbeitsplätzen.",
            ),
            Event(
                (
                    "Studie von {org}: Energieverbrauch kann um {percent} Prozent sinken",
                    "Energieverbrauch kann um {percent} Prozent fallen, sagt {org}",
                    "{org} sieht Einsparpotenzial von {percent} Prozent",
                ),
                "Forschende von {org} fanden heraus, dass der Energieverbrauch um {percent} Prozent sinken kann.",
            ),
        ),
        "culture": (
            Event(
                (
                    "{Role} {surname} eröffnet neue Saison in {place}",
                    "Neue Saison in {place} von {surname} eröffnet",
                    "{surname} startet die Saison in {place}",
                ),
                "{Role} {person} eröffnet am {weekday} in {place} die neue Saison.",
            ),
            Event(
                (
                    "Besucherrekord erwartet für {noun_bare}",
                    "{Noun_bare} soll Rekordpublikum anziehen",
                    "Veranstalter erwarten {number} Besucher für {noun_bare}",
                ),
                "Die Veranstalter rechnen für {noun} mit mehr als {number} Besucherinnen und Besuchern – ein Rekord für {place}.",
            ),
            Event(
                (
                    "{org} erhält {amount} Millionen Euro für {noun_bare}",
                    "{amount} Millionen Euro zusätzlich für {org}",
                    "{org} bekommt {amount} Millionen Förderung für {noun_bare}",
                ),
                "{org} erhält {amount} Millionen Euro zusätzliche Förderung für {noun}.",
            ),
            Event(
                (
                    "{person} gewinnt Preis für Werk über {place}",
                    "Preis für {person} und ein Werk über {place}",
                    "{person} für Werk über {place} ausgezeichnet",
                ),
                "{person} wurde am {weekday} für ein Werk über {place} ausgezeichnet.",
            ),
            Event(
                (
                    "Aufregung um {noun_bare} in {place}",
                    "{Noun_bare} sorgt für Wirbel in {place}",
                    "Streit in {place} über {noun_bare}",
                ),
                "{Noun} sorgt in {place} für Aufregung.",
            ),
        ),
        "world": (
            Event(
                (
                    "{Role} {surname} spricht in {place} von historischem Moment",
                    "„Historischer Moment“: {surname} in {place}",
                    "{surname} spricht von historischem Tag in {place}",
                ),
                "{Role} {person} sprach am {weekday} in {place} von „einem historischen Moment“.",
            ),
            Event(
                (
                    "Gespräche über {noun_bare} in {place} stocken",
                    "Kein Fortschritt bei Gesprächen über {noun_bare} in {place}",
                    "Verhandlungen über {noun_bare} in {place} festgefahren",
                ),
                "Die Gespräche über {noun} in {place} kamen am {weekday} ohne Ergebnis ins Stocken.",
            ),
            Event(
                (
                    "{org}: Mindestens {number} Menschen auf der Flucht",
                    "Mindestens {number} Menschen vertrieben, meldet {org}",
                    "{number} Menschen fliehen, sagt {org}",
                ),
                "Nach Angaben von {org} sind mindestens {number} Menschen auf der Flucht.",
            ),
            Event(
                (
                    "{org} stellt {amount} Millionen Euro für {noun2_bare} bereit",
                    "{amount} Millionen Euro von {org} für {noun2_bare}",
                    "{org} gibt {amount} Millionen für {noun2_bare} frei",
                ),
                "{org} stellt {amount} Millionen Euro für {noun2} bereit.",
            ),
            Event(
                (
                    "Vorsichtiger Durchbruch in {place} bei {noun_bare}",
                    "Erste Einigung über {noun_bare} in {place}",
                    "Unterhändler in {place} kommen bei {noun_bare} voran",
                ),
                "Unterhändler in {place} erzielten am {weekday} einen vorsichtigen Durchbruch für {noun}.",
            ),
        ),
    },
    sentences={
        "politics": (
            "Die Opposition verlangt von {surname} bis spätestens nächste Woche einen Bericht über {noun} und {noun2}.",
            "Laut einer Umfrage unterstützen {percent} Prozent der Wählerinnen und Wähler die Pläne für {noun}.",
            "Die Fraktion {org} droht, die Einigung über {noun} nicht länger mitzutragen.",
            "Die Regierung will mit der Maßnahme mehr als {number} Haushalte erreichen.",
        ),
        "economy": (
            "{Role} {person} von {org} spricht von „einem Wendepunkt für die Branche“.",
            "In der Region {place} arbeiten mehr als {number} Menschen in Betrieben, die direkt betroffen sind.",
            "Ökonomen warnen, dass sich {noun} und {noun2} gegenseitig verstärken.",
            "Die Börse reagierte am {weekday} gelassen: Der Index schloss {percent} Prozent höher.",
            "Das Unternehmen erzielte im vergangenen Jahr einen Umsatz von {amount} Millionen Euro.",
        ),
        "sport": (
            "Die Diskussion um {noun} beschäftigt den Verein seit Wochen.",
            "Bei {org} wird unterdessen über {noun2} gesprochen.",
            "{org} hat nur {small} der letzten zwanzig Spiele verloren.",
            "Das nächste Spiel steht in einer Woche am {weekday} an.",
        ),
        "tech": (
            "Nach Ansicht von {surname} ist Europa zu abhängig von ausländischen Zulieferern geworden.",
            "Branchenverbände in {place} verfolgen die Pläne genau.",
            "Auch Pläne für {noun2} liegen auf dem Tisch.",
            "Das Projekt kostet Schätzungen zufolge {amount} Millionen Euro.",
        ),
        "culture": (
            "Kritiker bezeichnen {noun} als „kulturellen Höhepunkt des Jahres“.",
            "In den Räumen von {org} sind Werke zu sehen, die nie zuvor gezeigt wurden.",
            "{surname} arbeitete fast drei Jahre an dem Projekt.",
        ),
        "world": (
            "Die Vereinten Nationen rufen alle Seiten auf, sich rasch über {noun} zu verständigen.",
            "Diplomaten in {place} erwarten in den kommenden Wochen weitere Treffen.",
            "Auch über {noun2} wird gesprochen.",
        ),
    },
    generic_sentences=(
        "Nach Angaben von {org} handelt es sich um eine tiefgreifende Veränderung für {place}.",
        "„Wir haben keine Zeit mehr zu verlieren“, sagte {surname} am {weekday} vor Journalisten.",
        "Kritiker weisen darauf hin, dass über {noun} seit Jahren gestritten wird.",
        "{Other_role} {other} nannte die Entwicklung „enttäuschend, aber nicht überraschend“.",
        "In {place} reagierten die Menschen gespalten auf die Nachricht.",
        "Wann eine endgültige Entscheidung über {noun} fällt, ist noch unklar.",
        "Anfang des Jahres waren noch rund {count} Menschen betroffen.",
        "{surname} betonte, man stehe im engen Austausch mit {org}.",
        "Ein Sprecher von {org} wollte sich zu Fragen über {noun} nicht äußern.",
        "Insidern zufolge geht es um {amount} Millionen Euro.",
        "Die Debatte über {noun} wird auch in anderen Regionen geführt.",
        "Auch {other} sieht Spielraum für einen Kompromiss: „Niemandem ist mit weiteren Verzögerungen gedient.“",
        "Mehr Klarheit wird für die kommende Woche erwartet.",
        "Am {weekday}abend steht das Thema in {place} erneut auf der Tagesordnung.",
        "Bei dem Treffen in {place} waren schätzungsweise {count} Menschen anwesend.",
        "Das geht aus Zahlen hervor, die {org} am {weekday} veröffentlichte: ein Plus von {percent} Prozent.",
    ),
    update_sentences=(
        "Inzwischen hat sich auch {org} geäußert und spricht von „einem wichtigen Schritt“.",
        "Dieser Artikel wurde um eine Stellungnahme von {other} ergänzt.",
    ),
    house_styles=(
        ("sagte", "erklärte"),
        ("nächste Woche", "kommende Woche"),
        ("mehr als ", "über "),
        ("schätzungsweise", "rund"),
        ("betonte", "unterstrich"),
        ("Kritiker weisen darauf hin", "Gegner geben zu bedenken"),
        ("die Nachricht", "die Meldung"),
        ("ist noch unklar", "ist noch offen"),
        ("Mehr Klarheit wird", "Weitere Details werden"),
        ("mindestens ", "wenigstens "),
        ("warnt, dass", "gibt zu bedenken, dass"),
        ("hitzige Debatte", "heftige Debatte"),
    ),
    wire_title_prefix="Aktuell: ",
    wire_credit="Diese Meldung stammt von der Nachrichtenagentur {agency}.",
    chrome=PageChrome(
        by="Von",
        more_news="Mehr Nachrichten",
        share="Artikel teilen",
        cookie_notice="Wir verwenden Cookies, um unsere Website zu verbessern. Mehr dazu in unserer Datenschutzerklärung.",
        accept="Einverstanden",
        newsletter_title="Newsletter",
        newsletter_text="Die wichtigsten Nachrichten jeden Morgen in Ihrem Postfach.",
        subscribe="Anmelden",
        rights="Alle Rechte vorbehalten.",
        photo="Foto",
        privacy="Datenschutz",
        contact="Kontakt",
        home="Startseite",
        feeds="Newsfeeds",
        date_format="%d.%m.%Y, %H:%M Uhr",
        category_labels={
            "politics": "Politik", "economy": "Wirtschaft", "sport": "Sport",
            "tech": "Technik", "culture": "Kultur", "world": "Ausland",
        },
    ),
)

VOCABULARIES = {v.code: v for v in (DUTCH, ENGLISH, GERMAN)}
