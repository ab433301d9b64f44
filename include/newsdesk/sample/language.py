"""Words and sentence templates for the sample news world, per language.

Every story picks its key entities (people, a place, an organisation, two
topical nouns, some numbers) once; each publisher then tells it with its own
title, its own choice and order of sentences from the templates below, and
its house style (a fixed subset of ``house_styles`` rewordings). Articles
about the same story therefore share their entities but not their wording,
which is what a similarity method has to see through.

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

German nouns are all feminine or neuter and only used after accusative
prepositions, so the article never needs declension. German roles carry a
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
    titles: dict[str, tuple[str, ...]]
    sentences: dict[str, tuple[str, ...]]
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
    titles={
        "politics": (
            "{Role} {surname} wil {noun_bare} nog dit jaar aanpassen",
            "Kritiek op {noun_bare}: {org} eist opheldering",
            "{place} verdeeld over {noun_bare}",
            "Ruim {number} handtekeningen tegen {noun_bare}",
            "{surname} onder vuur na uitspraken over {noun_bare}",
        ),
        "economy": (
            "{org} rekent op {percent} procent groei ondanks zorgen over {noun_bare}",
            "{Role} {surname}: ‘{Noun_bare} raakt vooral gezinnen’",
            "{org} schrapt {number} banen in {place}",
            "Zorgen over {noun_bare} nemen toe in {place}",
            "Onzekerheid rond {noun_bare} kost {org} {amount} miljoen euro",
        ),
        "sport": (
            "{surname} leidt {org} naar zege in {place}",
            "{org} haalt {person} binnen voor {amount} miljoen euro",
            "Onrust bij {org} na discussie over {noun_bare}",
            "{Role} {surname} blijft ondanks kritiek",
            "{number} supporters zien {org} stunten in {place}",
        ),
        "tech": (
            "{org} investeert {amount} miljoen euro in {place}",
            "Zorgen over {noun_bare}: toezichthouder grijpt in",
            "{Role} {surname} waarschuwt voor gevolgen van {noun_bare}",
            "{place} krijgt {noun_bare} met {number} banen",
            "Onderzoek van {org}: energieverbruik kan {percent} procent omlaag",
        ),
        "culture": (
            "{Role} {surname} opent nieuw seizoen in {place}",
            "Recordaantal bezoekers verwacht voor {noun_bare}",
            "{org} krijgt {amount} miljoen euro voor {noun_bare}",
            "{person} wint prijs met werk over {place}",
            "Ophef over {noun_bare} in {place}",
        ),
        "world": (
            "{Role} {surname} spreekt in {place} van historisch moment",
            "Overleg over {noun_bare} in {place} loopt vast",
            "{org}: zeker {number} mensen op de vlucht",
            "{org} trekt {amount} miljoen euro uit voor {noun2_bare}",
            "Voorzichtige doorbraak in {place} rond {noun_bare}",
        ),
    },
    sentences={
        "politics": (
            "{Role} {person} maakte {weekday} bekend dat {noun} op de schop gaat.",
            "In de gemeenteraad van {place} leidde het voorstel over {noun} tot een fel debat.",
            "De oppositie wil dat {surname} uiterlijk volgende week een brief stuurt over {noun} en {noun2}.",
            "Volgens een peiling steunt {percent} procent van de kiezers de plannen voor {noun}.",
            "{org} dreigt het akkoord over {noun} niet langer te steunen.",
            "Het kabinet hoopt met de maatregel ruim {number} huishoudens te bereiken.",
        ),
        "economy": (
            "{org} rekent voor komend jaar op een groei van {percent} procent, ondanks de onzekerheid rond {noun}.",
            "{Role} {person} van {org} spreekt van ‘een kantelpunt voor de sector’.",
            "In de regio {place} werken ruim {number} mensen bij bedrijven die direct worden geraakt.",
            "Economen waarschuwen dat {noun} en {noun2} elkaar versterken.",
            "De beurs reageerde {weekday} kalm: de index sloot {percent} procent hoger.",
            "Het bedrijf boekte vorig jaar een omzet van {amount} miljoen euro.",
        ),
        "sport": (
            "{Role} {person} was na afloop in {place} zichtbaar opgelucht.",
            "Voor {number} toeschouwers was {org} in de tweede helft veel sterker.",
            "De discussie over {noun} houdt de club al weken bezig.",
            "{surname} scoorde twee keer en werd na afloop uitgeroepen tot beste speler.",
            "Bij {org} wordt intussen gesproken over {noun2}.",
            "Met nog {small} minuten op de klok viel de beslissende treffer.",
        ),
        "tech": (
            "{org} presenteerde {weekday} in {place} de plannen voor {noun}.",
            "{Role} {person} waarschuwt dat {noun} een zware wissel trekt op het stroomnet.",
            "Het project moet {number} nieuwe banen opleveren en kost {amount} miljoen euro.",
            "Onderzoekers van {org} ontdekten dat het energieverbruik met {percent} procent kan dalen.",
            "De toezichthouder kondigde een onderzoek aan naar {noun} en {noun2}.",
            "Volgens {surname} is Europa te afhankelijk geworden van buitenlandse leveranciers.",
        ),
        "culture": (
            "{Role} {person} opent {weekday} in {place} het nieuwe seizoen.",
            "De organisatie rekent op ruim {number} bezoekers, een record voor {place}.",
            "Critici noemen {noun} ‘het culturele hoogtepunt van het jaar’.",
            "{org} ontvangt {amount} miljoen euro extra subsidie voor {noun}.",
            "Bij {org} zijn werken te zien die nooit eerder werden getoond.",
            "{surname} werkte bijna drie jaar aan het project.",
        ),
        "world": (
            "{Role} {person} sprak in {place} van ‘een historisch moment’.",
            "Het overleg over {noun} in {place} duurde tot diep in de nacht.",
            "Volgens {org} zijn zeker {number} mensen op de vlucht geslagen.",
            "De Verenigde Naties roepen alle partijen op snel afspraken te maken over {noun}.",
            "{org} trekt {amount} miljoen euro uit voor {noun2}.",
            "Waarnemers in {place} spreken van een voorzichtige doorbraak.",
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
    titles={
        "politics": (
            "{Role} {surname} wants {noun_bare} changed this year",
            "Criticism of {noun_bare}: {org} demands answers",
            "{place} divided over {noun_bare}",
            "More than {number} sign petition against {noun_bare}",
            "{surname} under fire over remarks on {noun_bare}",
        ),
        "economy": (
            "{org} expects {percent}% growth despite {noun_bare} worries",
            "{Role} {surname}: “{Noun_bare} hits families hardest”",
            "{org} to cut {number} jobs in {place}",
            "Worries over {noun_bare} grow in {place}",
            "Uncertainty over {noun_bare} costs {org} {amount} million",
        ),
        "sport": (
            "{surname} leads {org} to victory in {place}",
            "{org} sign {person} in {amount} million deal",
            "Turmoil at {org} after row over {noun_bare}",
            "{Role} {surname} stays on despite criticism",
            "{number} fans watch {org} cause upset in {place}",
        ),
        "tech": (
            "{org} invests {amount} million in {place}",
            "Concerns over {noun_bare}: regulator steps in",
            "{Role} {surname} warns of strain from {noun_bare}",
            "{place} gets {noun_bare} with {number} jobs",
            "{org} study: energy use could fall by {percent}%",
        ),
        "culture": (
            "{Role} {surname} opens new season in {place}",
            "Record crowds expected for {noun_bare}",
            "{org} receives {amount} million for {noun_bare}",
            "{person} wins prize for work about {place}",
            "Row over {noun_bare} in {place}",
        ),
        "world": (
            "{Role} {surname} hails “historic moment” in {place}",
            "Talks on {noun_bare} in {place} stall",
            "{org}: at least {number} people displaced",
            "{org} pledges {amount} million for {noun2_bare}",
            "Cautious breakthrough in {place} on {noun_bare}",
        ),
    },
    sentences={
        "politics": (
            "{Role} {person} announced on {weekday} that {noun} would be overhauled.",
            "In {place}, the proposal on {noun} sparked a heated debate among councillors.",
            "The opposition wants {surname} to deliver a report on {noun} and {noun2} by next week.",
            "According to a poll, {percent}% of voters back the plans for {noun}.",
            "{org} has threatened to withdraw its support for the agreement on {noun}.",
            "The government hopes the measure will reach more than {number} households.",
        ),
        "economy": (
            "{org} expects growth of {percent}% next year, despite the uncertainty surrounding {noun}.",
            "{Role} {person} of {org} described it as “a turning point for the sector”.",
            "More than {number} people in the {place} area work for businesses that are directly affected.",
            "Economists warn that {noun} and {noun2} are reinforcing each other.",
            "Markets took the news calmly on {weekday}, with the index closing {percent}% higher.",
            "The company reported revenue of {amount} million last year.",
        ),
        "sport": (
            "{Role} {person} looked visibly relieved after the final whistle in {place}.",
            "In front of {number} spectators, {org} dominated the second half.",
            "The debate over {noun} has occupied the club for weeks.",
            "{surname} scored twice and was named player of the match.",
            "At {org}, talks about {noun2} are meanwhile under way.",
            "The decisive goal came with {small} minutes left on the clock.",
        ),
        "tech": (
            "{org} presented its plans for {noun} in {place} on {weekday}.",
            "{Role} {person} warns that {noun} could put heavy strain on the power grid.",
            "The project is expected to create {number} jobs and cost {amount} million.",
            "Researchers at {org} found that energy use could fall by {percent}%.",
            "The regulator announced a review covering {noun} and {noun2}.",
            "In {surname}’s view, the country has become too dependent on foreign suppliers.",
        ),
        "culture": (
            "{Role} {person} opens the new season in {place} on {weekday}.",
            "Organisers expect more than {number} visitors, a record for {place}.",
            "Critics have called {noun} “the cultural highlight of the year”.",
            "{org} is receiving an extra {amount} million in funding for {noun}.",
            "Works that have never been shown before are on display at {org}.",
            "{surname} spent almost three years on the project.",
        ),
        "world": (
            "{Role} {person} spoke of “a historic moment” in {place}.",
            "Talks on {noun} in {place} went on late into the night.",
            "According to {org}, at least {number} people have fled their homes.",
            "The United Nations has urged all sides to reach agreement on {noun} quickly.",
            "{org} is making {amount} million available for {noun2}.",
            "Observers in {place} speak of a cautious breakthrough.",
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
    titles={
        "politics": (
            "{Role} {surname} will {noun_bare} noch dieses Jahr ändern",
            "Streit um {noun_bare}: {org} fordert Aufklärung",
            "{place} uneins über {noun_bare}",
            "Mehr als {number} Unterschriften gegen {noun_bare}",
            "{surname} in der Kritik nach Äußerungen über {noun_bare}",
        ),
        "economy": (
            "{org} rechnet mit {percent} Prozent Wachstum trotz Sorge um {noun_bare}",
            "{Role} {surname}: „{Noun_bare} trifft vor allem Familien“",
            "{org} streicht {number} Stellen in {place}",
            "Sorge um {noun_bare} wächst in {place}",
            "Unsicherheit um {noun_bare} kostet {org} {amount} Millionen Euro",
        ),
        "sport": (
            "{surname} führt {org} zum Sieg in {place}",
            "{org} holt {person} für {amount} Millionen Euro",
            "Unruhe bei {org} nach Streit um {noun_bare}",
            "{Role} {surname} bleibt trotz Kritik",
            "{number} Fans sehen Überraschung von {org} in {place}",
        ),
        "tech": (
            "{org} investiert {amount} Millionen Euro in {place}",
            "Sorge um {noun_bare}: Aufsicht greift ein",
            "{Role} {surname} warnt vor Folgen für das Stromnetz",
            "{place} bekommt {noun_bare} mit {number} Arbeitsplätzen",
            "Studie von {org}: Energieverbrauch kann um {percent} Prozent sinken",
        ),
        "culture": (
            "{Role} {surname} eröffnet neue Saison in {place}",
            "Besucherrekord erwartet für {noun_bare}",
            "{org} erhält {amount} Millionen Euro für {noun_bare}",
            "{person} gewinnt Preis für Werk über {place}",
            "Aufregung um {noun_bare} in {place}",
        ),
        "world": (
            "{Role} {surname} spricht in {place} von historischem Moment",
            "Gespräche über {noun_bare} in {place} stocken",
            "{org}: Mindestens {number} Menschen auf der Flucht",
            "{org} stellt {amount} Millionen Euro für {noun2_bare} bereit",
            "Vorsichtiger Durchbruch in {place} bei {noun_bare}",
        ),
    },
    sentences={
        "politics": (
            "{Role} {person} kündigte am {weekday} an, {noun} grundlegend zu überarbeiten.",
            "Im Stadtrat von {place} löste der Vorschlag eine hitzige Debatte aus.",
            "Die Opposition verlangt von {surname} bis spätestens nächste Woche einen Bericht über {noun} und {noun2}.",
            "Laut einer Umfrage unterstützen {percent} Prozent der Wählerinnen und Wähler die Pläne für {noun}.",
            "Die Fraktion {org} droht, die Einigung über {noun} nicht länger mitzutragen.",
            "Die Regierung will mit der Maßnahme mehr als {number} Haushalte erreichen.",
        ),
        "economy": (
            "{org} rechnet für das kommende Jahr mit einem Wachstum von {percent} Prozent – trotz der Unsicherheit um {noun}.",
            "{Role} {person} von {org} spricht von „einem Wendepunkt für die Branche“.",
            "In der Region {place} arbeiten mehr als {number} Menschen in Betrieben, die direkt betroffen sind.",
            "Ökonomen warnen, dass sich {noun} und {noun2} gegenseitig verstärken.",
            "Die Börse reagierte am {weekday} gelassen: Der Index schloss {percent} Prozent höher.",
            "Das Unternehmen erzielte im vergangenen Jahr einen Umsatz von {amount} Millionen Euro.",
        ),
        "sport": (
            "{Role} {person} wirkte nach dem Abpfiff in {place} sichtlich erleichtert.",
            "Vor {number} Zuschauern war {org} in der zweiten Halbzeit klar überlegen.",
            "Die Diskussion um {noun} beschäftigt den Verein seit Wochen.",
            "{surname} traf zweimal und wurde anschließend zum Spieler des Spiels gewählt.",
            "Bei {org} wird unterdessen über {noun2} gesprochen.",
            "{small} Minuten vor Schluss fiel der entscheidende Treffer.",
        ),
        "tech": (
            "{org} stellte am {weekday} in {place} die Pläne für {noun} vor.",
            "{Role} {person} warnt, dass {noun} das Stromnetz stark belasten könnte.",
            "Das Projekt soll {number} neue Arbeitsplätze schaffen und kostet {amount} Millionen Euro.",
            "Forschende von {org} fanden heraus, dass der Energieverbrauch um {percent} Prozent sinken kann.",
            "Die Aufsichtsbehörde kündigte eine Prüfung an, die {noun} und {noun2} betrifft.",
            "Nach Ansicht von {surname} ist Europa zu abhängig von ausländischen Zulieferern geworden.",
        ),
        "culture": (
            "{Role} {person} eröffnet am {weekday} in {place} die neue Saison.",
            "Die Veranstalter rechnen mit mehr als {number} Besucherinnen und Besuchern – ein Rekord für {place}.",
            "Kritiker bezeichnen {noun} als „kulturellen Höhepunkt des Jahres“.",
            "{org} erhält {amount} Millionen Euro zusätzliche Förderung für {noun}.",
            "In den Räumen von {org} sind Werke zu sehen, die nie zuvor gezeigt wurden.",
            "{surname} arbeitete fast drei Jahre an dem Projekt.",
        ),
        "world": (
            "{Role} {person} sprach in {place} von „einem historischen Moment“.",
            "Die Gespräche über {noun} in {place} dauerten bis tief in die Nacht.",
            "Nach Angaben von {org} sind mindestens {number} Menschen auf der Flucht.",
            "Die Vereinten Nationen rufen alle Seiten auf, sich rasch über {noun} zu verständigen.",
            "{org} stellt {amount} Millionen Euro für {noun2} bereit.",
            "Beobachter in {place} sprechen von einem vorsichtigen Durchbruch.",
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
