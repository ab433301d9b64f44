"""Per-language material for the similarity corpus (`newsdesk.sample.corpus`).

Real function words (the top of each language's Zipf vocabulary), letters to
build pseudo-words from, and the fixed phrases publishers and agencies write:
credit lines, quote frames, boilerplate. Chinese and Japanese are written
without spaces between words, as they are in the wild.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CorpusLanguage:
    code: str
    countries: tuple[str, ...]
    article_share: float  # share of the corpus's stories in this language
    publishers: int  # non-agency publishers writing in it
    agencies: tuple[str, ...]  # wire agencies writing in it
    function_words: tuple[str, ...]
    onsets: tuple[str, ...]  # pseudo-word syllables: onset + vowel + coda
    vowels: tuple[str, ...]
    codas: tuple[str, ...]
    place_suffixes: tuple[str, ...]
    org_suffixes: tuple[str, ...]
    paper_suffixes: tuple[str, ...]
    credit: str  # "{agency}" filled in
    quote: str  # "{quote}" and "{name}" filled in
    million: str
    boilerplate: tuple[str, ...]  # phrases many publishers of the language append
    about: str  # "{name}" and "{year}" filled in: one publisher's own line
    thousands: str = ","
    decimal: str = "."
    spaced: bool = True  # words separated by spaces
    period: str = "."


def _chars(first: int, last: int, step: int = 1) -> tuple[str, ...]:
    return tuple(chr(code) for code in range(first, last + 1, step))


LANGUAGES: tuple[CorpusLanguage, ...] = (
    CorpusLanguage(
        code="en",
        countries=("GB", "US", "IE", "AU", "CA"),
        article_share=0.36,
        publishers=105,
        agencies=("Global Wire Service", "Associated Newswire", "Transatlantic Press"),
        function_words=(
            "the", "of", "and", "to", "a", "in", "is", "that", "for", "on", "with", "as", "was", "it", "by",
            "at", "from", "he", "she", "said", "has", "have", "be", "are", "this", "an", "will", "not", "but",
            "his", "her", "they", "which", "after", "who", "were", "been", "had", "more", "would", "their",
            "its", "also", "about", "over", "than", "into", "up", "out", "new", "two", "one", "year", "last",
            "first", "people", "could", "there", "when", "we",
        ),
        onsets=("b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "br",
                "cr", "dr", "fl", "gr", "pl", "pr", "sh", "st", "th", "tr", "ch", "sc", "sl"),
        vowels=("a", "e", "i", "o", "u", "ea", "ou", "ai", "oo", "ee", "y"),
        codas=("", "", "n", "r", "s", "t", "l", "nd", "st", "ng", "ck", "m", "rt", "ll"),
        place_suffixes=("", "", "ton", "field", "bury", "ford", " Bay", "ham", "wick"),
        org_suffixes=(" Group", " Bank", " Party", " Council", " Holdings", " Union", " Institute", " Authority"),
        paper_suffixes=("Herald", "Courier", "Gazette", "Times", "Post", "Chronicle", "Observer", "Daily", "News"),
        credit="This article was provided by {agency}.",
        quote="\u201c{quote},\u201d {name} said.",
        million="million",
        boilerplate=(
            "Sign up for our newsletter to get the day's top stories in your inbox.",
            "Follow us on social media for the latest updates.",
            "All rights reserved. This material may not be published or redistributed.",
            "Read more local news on our website and in our app.",
            "Have a news tip? Contact our newsroom.",
        ),
        about="{name} has covered the news of the region since {year}.",
    ),
    CorpusLanguage(
        code="nl",
        countries=("NL", "BE"),
        article_share=0.15,
        publishers=45,
        agencies=("Nederlands Persbureau",),
        function_words=(
            "de", "het", "een", "en", "van", "in", "is", "dat", "op", "te", "voor", "met", "zijn", "niet",
            "aan", "er", "om", "ook", "als", "bij", "door", "maar", "naar", "heeft", "werd", "dan", "nog",
            "tot", "uit", "over", "wordt", "worden", "hij", "zij", "die", "deze", "was", "of", "na", "al",
            "meer", "jaar", "twee", "volgens", "zegt", "kan", "moet", "geen", "wel", "zo",
        ),
        onsets=("b", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "z", "sch",
                "gr", "kl", "kr", "sl", "sp", "st", "br", "dr", "tr", "bl"),
        vowels=("a", "e", "i", "o", "u", "aa", "ee", "oo", "ie", "oe", "ui", "ij", "ou", "eu"),
        codas=("", "", "n", "r", "s", "t", "k", "l", "cht", "ng", "rd", "nd", "ls", "p"),
        place_suffixes=("", "dam", "dijk", "veen", "hoven", "broek", "wijk", "sum", "horst"),
        org_suffixes=(" Groep", " Bank", " Partij", " Raad", " Stichting", " Bond", " Instituut"),
        paper_suffixes=("Dagblad", "Courant", "Nieuwsblad", "Krant", "Post", "Bode", "Gazet"),
        credit="Bron: {agency}",
        quote="\u2018{quote}\u2019, zei {name}.",
        million="miljoen",
        boilerplate=(
            "Meld je aan voor onze nieuwsbrief en ontvang elke ochtend het laatste nieuws.",
            "Volg ons ook op sociale media voor het laatste nieuws.",
            "Alle rechten voorbehouden.",
            "Lees meer nieuws uit de regio in onze app.",
            "Heb je een tip voor de redactie? Mail ons.",
        ),
        about="{name} brengt sinds {year} het nieuws uit de regio.",
        thousands=".",
        decimal=",",
    ),
    CorpusLanguage(
        code="de",
        countries=("DE", "AT", "CH"),
        article_share=0.15,
        publishers=50,
        agencies=("Deutsche Nachrichtenagentur",),
        function_words=(
            "der", "die", "und", "in", "den", "von", "zu", "das", "mit", "sich", "des", "auf", "für", "ist",
            "im", "dem", "nicht", "ein", "eine", "als", "auch", "es", "an", "werden", "aus", "er", "hat",
            "dass", "sie", "nach", "wird", "bei", "einer", "um", "am", "sind", "noch", "wie", "einem", "über",
            "einen", "so", "zum", "war", "haben", "nur", "oder", "aber", "vor", "zur", "bis", "mehr", "durch",
            "sagte",
        ),
        onsets=("b", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "w", "z", "sch", "st",
                "sp", "pf", "kr", "gr", "br", "tr", "fr", "kl"),
        vowels=("a", "e", "i", "o", "u", "ä", "ö", "ü", "ei", "au", "ie", "eu"),
        codas=("", "", "n", "r", "s", "t", "ch", "ng", "ck", "tz", "rt", "nd", "lt", "rn"),
        place_suffixes=("", "burg", "dorf", "hausen", "heim", "feld", "stadt", "bach", "ingen"),
        org_suffixes=(" AG", " GmbH", " Partei", " Verband", " Stiftung", " Rat", " Institut"),
        paper_suffixes=("Zeitung", "Rundschau", "Anzeiger", "Kurier", "Nachrichten", "Tagblatt", "Echo"),
        credit="Quelle: {agency}",
        quote="\u201e{quote}\u201c, sagte {name}.",
        million="Millionen",
        boilerplate=(
            "Abonnieren Sie unseren Newsletter für die wichtigsten Nachrichten des Tages.",
            "Folgen Sie uns auch in den sozialen Netzwerken.",
            "Alle Rechte vorbehalten.",
            "Weitere Nachrichten aus der Region finden Sie in unserer App.",
            "Haben Sie einen Hinweis für die Redaktion? Schreiben Sie uns.",
        ),
        about="{name} berichtet seit {year} aus der Region.",
        thousands=".",
        decimal=",",
    ),
    CorpusLanguage(
        code="fr",
        countries=("FR", "BE", "CH"),
        article_share=0.1,
        publishers=35,
        agencies=("Agence Mondiale de Presse",),
        function_words=(
            "le", "la", "les", "de", "des", "du", "et", "à", "en", "un", "une", "est", "que", "qui", "dans",
            "pour", "par", "sur", "au", "pas", "plus", "a", "été", "il", "elle", "ne", "se", "avec", "ce",
            "son", "sa", "ses", "aux", "ont", "mais", "selon", "ans", "deux", "après", "cette",
        ),
        onsets=("b", "c", "d", "f", "g", "j", "l", "m", "n", "p", "r", "s", "t", "v", "ch", "gr", "pr", "tr",
                "bl", "cl", "fr"),
        vowels=("a", "e", "i", "o", "u", "é", "è", "ou", "ai", "eau", "oi", "au", "ie"),
        codas=("", "", "n", "r", "s", "t", "l", "x", "nt", "rd", "que"),
        place_suffixes=("", "ville", "court", "mont", "bourg", "-sur-Mer", "ac"),
        org_suffixes=(" SA", " Groupe", " Banque", " Parti", " Conseil", " Institut", " Fédération"),
        paper_suffixes=("Le Courrier", "La Dépêche", "Le Journal", "L'Écho", "Le Progrès", "La Gazette"),
        credit="Source : {agency}",
        quote="\u00ab\u00a0{quote}\u00a0\u00bb, a déclaré {name}.",
        million="millions",
        boilerplate=(
            "Inscrivez-vous à notre lettre d'information pour recevoir l'essentiel de l'actualité.",
            "Suivez-nous sur les réseaux sociaux.",
            "Tous droits réservés.",
            "Retrouvez toute l'actualité de la région sur notre application.",
        ),
        about="{name} couvre l'actualité de la région depuis {year}.",
        thousands="\u00a0",
        decimal=",",
    ),
    CorpusLanguage(
        code="ru",
        countries=("RU",),
        article_share=0.08,
        publishers=25,
        agencies=("Информационное агентство Север",),
        function_words=(
            "и", "в", "не", "на", "что", "с", "по", "к", "о", "из", "за", "от", "он", "она", "это", "как",
            "для", "а", "также", "его", "ее", "было", "был", "будет", "при", "до", "после", "года", "году",
            "заявил", "сообщил", "более", "чем", "так", "уже", "или", "но", "только", "все", "этом",
        ),
        onsets=("б", "в", "г", "д", "ж", "з", "к", "л", "м", "н", "п", "р", "с", "т", "ф", "х", "ч", "ш",
                "пр", "ст", "тр", "кр", "сл", "дв"),
        vowels=("а", "е", "и", "о", "у", "ы", "я", "ю", "ё"),
        codas=("", "", "н", "р", "с", "т", "л", "к", "в", "й", "м", "ст"),
        place_suffixes=("", "ск", "ово", "град", "инск", "поль"),
        org_suffixes=(" Групп", " Банк", " Холдинг", " Фонд", " Союз", " Институт"),
        paper_suffixes=("Вестник", "Известия", "Новости", "Правда", "Курьер", "Газета"),
        credit="Источник: {agency}",
        quote="«{quote}», — заявил {name}.",
        million="млн",
        boilerplate=(
            "Подписывайтесь на наш канал, чтобы первыми узнавать главные новости.",
            "Все права защищены.",
            "Читайте больше новостей региона в нашем приложении.",
        ),
        about="{name} рассказывает о событиях региона с {year} года.",
        thousands="\u00a0",
        decimal=",",
    ),
    CorpusLanguage(
        code="el",
        countries=("GR", "CY"),
        article_share=0.05,
        publishers=18,
        agencies=("Πρακτορείο Ειδήσεων Αιγαίου",),
        function_words=(
            "και", "το", "η", "ο", "του", "της", "των", "να", "σε", "με", "για", "την", "τον", "από", "στην",
            "στο", "που", "είναι", "τα", "οι", "δεν", "θα", "ως", "στις", "στα", "μετά", "έχει", "ήταν",
            "όπως", "αλλά", "ενώ", "δήλωσε", "σύμφωνα", "χρόνια",
        ),
        onsets=("β", "γ", "δ", "ζ", "θ", "κ", "λ", "μ", "ν", "ξ", "π", "ρ", "σ", "τ", "φ", "χ", "ψ", "στ",
                "πρ", "τρ", "κρ"),
        vowels=("α", "ε", "η", "ι", "ο", "υ", "ω", "ου", "αι", "ει", "ά", "έ", "ί", "ό"),
        codas=("", "", "", "ς", "ν", "ρ"),
        place_suffixes=("", "πολη", "ιά", "ούπολη"),
        org_suffixes=(" ΑΕ", " Όμιλος", " Τράπεζα", " Κόμμα", " Ίδρυμα", " Ένωση"),
        paper_suffixes=("Καθημερινή", "Ειδήσεις", "Εφημερίδα", "Νέα", "Ταχυδρόμος"),
        credit="Πηγή: {agency}",
        quote="«{quote}», δήλωσε ο {name}.",
        million="εκατ.",
        boilerplate=(
            "Εγγραφείτε στο ενημερωτικό μας δελτίο για τις σημαντικότερες ειδήσεις.",
            "Ακολουθήστε μας στα μέσα κοινωνικής δικτύωσης.",
            "Με την επιφύλαξη παντός δικαιώματος.",
        ),
        about="Η {name} καλύπτει τις ειδήσεις της περιοχής από το {year}.",
        thousands=".",
        decimal=",",
    ),
    CorpusLanguage(
        code="zh",
        countries=("CN", "TW", "SG"),
        article_share=0.06,
        publishers=15,
        agencies=("东方通讯社",),
        function_words=(
            "的", "了", "在", "是", "和", "有", "也", "不", "这", "中", "对", "上", "为", "将", "与", "等",
            "说", "到", "年", "个", "以", "并", "被", "他", "她", "我们", "表示", "已经", "进行", "目前",
        ),
        onsets=_chars(0x4E00, 0x5DFF, 3),  # pseudo-words: 1 to 3 Han characters, see _syllable
        vowels=("",),
        codas=("",),
        place_suffixes=("市", "县", "镇", "省"),
        org_suffixes=("公司", "集团", "银行", "协会", "研究院", "委员会"),
        paper_suffixes=("日报", "晚报", "新闻", "时报", "商报"),
        credit="来源：{agency}",
        quote="{name}表示：\u201c{quote}\u201d。",
        million="万",
        boilerplate=(
            "欢迎关注我们的公众号获取最新新闻。",
            "版权所有，未经许可不得转载。",
            "更多本地新闻请下载我们的客户端。",
        ),
        about="{name}自{year}年起报道本地新闻。",
        spaced=False,
        period="。",
    ),
    CorpusLanguage(
        code="ja",
        countries=("JP",),
        article_share=0.05,
        publishers=15,
        agencies=("日本共同通信社",),
        function_words=(
            "の", "に", "は", "を", "た", "が", "で", "て", "と", "し", "れ", "さ", "ある", "いる", "も",
            "する", "から", "な", "こと", "として", "や", "など", "ない", "この", "ため", "その", "また",
            "という", "より", "について", "さらに", "ます", "です",
        ),
        onsets=_chars(0x5E00, 0x6FFF, 4) + _chars(0x30A2, 0x30F3, 1),  # kanji and katakana
        vowels=("",),
        codas=("",),
        place_suffixes=("市", "町", "村", "県"),
        org_suffixes=("株式会社", "銀行", "協会", "研究所", "委員会", "党"),
        paper_suffixes=("新聞", "日報", "タイムズ", "ニュース"),
        credit="提供：{agency}",
        quote="{name}氏は「{quote}」と述べた。",
        million="万",
        boilerplate=(
            "最新ニュースは公式アプリでご覧いただけます。",
            "無断転載を禁じます。",
            "ニュースレターの登録はこちらから。",
        ),
        about="{name}は{year}年から地域のニュースを伝えている。",
        spaced=False,
        period="。",
    ),
)

LANGUAGE_CODES = tuple(language.code for language in LANGUAGES)
CATEGORIES = ("politics", "economy", "sport", "tech", "culture", "world", "science", "health")
