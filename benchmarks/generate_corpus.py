"""A deterministic corpus of synthetic news articles for benchmarks.

    python benchmarks/generate_corpus.py DIR -n 1000 [--seed 7] [--content]

writes DIR/seeds/*.txt: raw articles as a scraper leaves them (header lines in
several date formats or none, a title or none, datelines, copyright lines, page
chrome such as "Share" and "See also ..."), 300-1,500 words each, about stories
in a dozen topics so that grouping has structure to find. With --content it
writes DIR/content/*.md instead: the same articles as clean Markdown with the
front matter `digest.model.dump_article` writes, for timing a build whose
ingest is already done.

Article i depends only on (seed, i), so the first 1,000 articles of a 10,000
corpus are the 1,000 corpus. Pure standard library plus the project's model.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import random
import sys
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from digest.model import Article, dump_article, slugify  # noqa: E402

# ------------------------------------------------------------------ the world


@dataclass(frozen=True)
class Topic:
    name: str
    people: tuple[str, ...]  # "Name|role"
    places: tuple[str, ...]
    orgs: tuple[str, ...]
    nouns: tuple[str, ...]  # what the stories are about
    verbs: tuple[str, ...]  # headline verbs, 3rd person
    keywords: tuple[str, ...]  # the topic's tags


TOPICS = (
    Topic(
        "diplomacy",
        (
            "Donald Trump|US President",
            "Vladimir Putin|Russian President",
            "Volodymyr Zelenskyy|Ukrainian President",
            "Karoline Leavitt|White House press secretary",
            "Yuri Ushakov|Kremlin aide",
            "Sergey Lavrov|Russian Foreign Minister",
            "Mark Rutte|NATO Secretary-General",
            "Steve Witkoff|US special envoy",
            "Dmitry Peskov|Kremlin spokesman",
        ),
        ("Moscow", "Kyiv", "Washington", "Anchorage", "Budapest", "Istanbul", "Geneva", "Brussels"),
        ("the Kremlin", "the White House", "NATO", "the United Nations", "the European Union"),
        (
            "peace talks",
            "ceasefire proposal",
            "summit",
            "prisoner exchange",
            "sanctions package",
            "security guarantees",
        ),
        ("rejects", "backs", "proposes", "delays", "welcomes", "questions"),
        ("Ukraine", "Russia", "peace talks", "sanctions", "NATO"),
    ),
    Topic(
        "central banks",
        (
            "Christine Lagarde|ECB President",
            "Jerome Powell|Federal Reserve Chair",
            "Andrew Bailey|Bank of England Governor",
            "Kazuo Ueda|Bank of Japan Governor",
            "Isabel Schnabel|ECB board member",
            "Rachel Reeves|UK Chancellor",
        ),
        ("Frankfurt", "Washington", "London", "Tokyo", "Zurich", "New York"),
        ("the European Central Bank", "the Federal Reserve", "the Bank of England", "the IMF", "the Bank of Japan"),
        (
            "interest rate decision",
            "inflation figures",
            "bond sell-off",
            "rate cut",
            "growth forecast",
            "currency slide",
        ),
        ("signals", "holds", "cuts", "raises", "warns on", "defends"),
        ("interest rates", "inflation", "economy", "markets", "central banks"),
    ),
    Topic(
        "climate",
        (
            "António Guterres|UN Secretary-General",
            "Simon Stiell|UN climate chief",
            "Sultan Al Jaber|COP president",
            "Wopke Hoekstra|EU climate commissioner",
            "Marina Silva|Brazilian environment minister",
        ),
        ("Belém", "Bonn", "Dubai", "Baku", "Nairobi", "New Delhi"),
        ("the UN climate body", "Greenpeace", "the International Energy Agency", "the World Bank"),
        ("climate summit", "emissions pledge", "coal phase-out", "adaptation fund", "heatwave", "carbon tax"),
        ("agrees", "stalls on", "unveils", "misses", "rejects", "doubles"),
        ("climate change", "emissions", "COP", "energy transition", "environment"),
    ),
    Topic(
        "elections",
        (
            "Friedrich Merz|German Chancellor",
            "Emmanuel Macron|French President",
            "Marine Le Pen|National Rally leader",
            "Keir Starmer|UK Prime Minister",
            "Giorgia Meloni|Italian Prime Minister",
            "Donald Tusk|Polish Prime Minister",
            "Pedro Sánchez|Spanish Prime Minister",
        ),
        ("Berlin", "Paris", "London", "Rome", "Warsaw", "Madrid", "Lisbon"),
        (
            "the Social Democrats",
            "the Greens",
            "the electoral commission",
            "the European Parliament",
            "the constitutional court",
        ),
        ("snap election", "coalition deal", "no-confidence vote", "budget vote", "party congress", "polling slump"),
        ("calls", "survives", "loses", "wins", "announces", "postpones"),
        ("elections", "politics", "Europe", "parliament", "coalition"),
    ),
    Topic(
        "technology",
        (
            "Sam Altman|OpenAI chief executive",
            "Sundar Pichai|Alphabet chief executive",
            "Satya Nadella|Microsoft chief executive",
            "Margrethe Vestager|former EU competition chief",
            "Lina Khan|former FTC chair",
            "Jensen Huang|Nvidia chief executive",
        ),
        ("San Francisco", "Brussels", "Seattle", "Mountain View", "Taipei", "Shenzhen"),
        ("OpenAI", "Google", "Microsoft", "Nvidia", "the European Commission", "the Federal Trade Commission"),
        ("AI regulation", "antitrust case", "chip export ban", "data breach", "AI model launch", "cloud outage"),
        ("faces", "launches", "settles", "fines", "delays", "probes"),
        ("artificial intelligence", "technology", "antitrust", "semiconductors", "privacy"),
    ),
    Topic(
        "football",
        (
            "Pep Guardiola|Manchester City manager",
            "Carlo Ancelotti|Brazil coach",
            "Kylian Mbappé|Real Madrid forward",
            "Erling Haaland|Manchester City striker",
            "Mikel Arteta|Arsenal manager",
            "Jude Bellingham|Real Madrid midfielder",
        ),
        ("Manchester", "Madrid", "London", "Munich", "Milan", "Barcelona", "Liverpool"),
        ("UEFA", "FIFA", "the Premier League", "La Liga", "Bayern Munich", "Arsenal"),
        ("transfer saga", "Champions League tie", "injury setback", "title race", "contract extension", "derby defeat"),
        ("seals", "loses", "wins", "confirms", "rules out", "eyes"),
        ("football", "Champions League", "transfers", "Premier League", "sport"),
    ),
    Topic(
        "health",
        (
            "Tedros Adhanom Ghebreyesus|WHO Director-General",
            "Robert F. Kennedy Jr.|US Health Secretary",
            "Hans Kluge|WHO Europe director",
            "Jean Kaseya|Africa CDC director",
            "Wes Streeting|UK Health Secretary",
        ),
        ("Geneva", "Kinshasa", "Atlanta", "London", "Kampala", "Dhaka"),
        ("the World Health Organization", "the CDC", "the NHS", "Médecins Sans Frontières", "Gavi"),
        ("measles outbreak", "vaccine rollout", "hospital strike", "mpox cases", "drug shortage", "cholera outbreak"),
        ("declares", "expands", "ends", "warns of", "tracks", "funds"),
        ("health", "vaccines", "WHO", "outbreak", "hospitals"),
    ),
    Topic(
        "energy",
        (
            "Haitham al-Ghais|OPEC Secretary-General",
            "Fatih Birol|IEA Executive Director",
            "Abdulaziz bin Salman|Saudi energy minister",
            "Chris Wright|US Energy Secretary",
            "Alexander Novak|Russian Deputy Prime Minister",
        ),
        ("Riyadh", "Vienna", "Houston", "Abu Dhabi", "Oslo", "Lagos"),
        ("OPEC", "Saudi Aramco", "Shell", "BP", "Equinor", "the International Energy Agency"),
        ("oil output cut", "gas price spike", "pipeline deal", "refinery fire", "LNG contract", "price cap"),
        ("extends", "signs", "scraps", "lifts", "shuts", "weighs"),
        ("oil", "gas", "OPEC", "energy prices", "commodities"),
    ),
    Topic(
        "wildfires",
        (
            "Gavin Newsom|California Governor",
            "Karen Bass|Los Angeles Mayor",
            "Kyriakos Mitsotakis|Greek Prime Minister",
            "Mark Carney|Canadian Prime Minister",
            "Luís Montenegro|Portuguese Prime Minister",
        ),
        ("Los Angeles", "Athens", "Alberta", "Rhodes", "Algarve", "British Columbia", "Évora"),
        (
            "Cal Fire",
            "the fire service",
            "the Red Cross",
            "the national weather service",
            "the EU civil protection mechanism",
        ),
        ("wildfire", "evacuation order", "heat record", "flood warning", "drought emergency", "storm damage"),
        ("spreads to", "forces", "threatens", "contains", "hits", "sweeps"),
        ("wildfires", "extreme weather", "evacuations", "heatwave", "disasters"),
    ),
    Topic(
        "space",
        (
            "Elon Musk|SpaceX founder",
            "Jared Isaacman|NASA Administrator",
            "Josef Aschbacher|ESA Director General",
            "Sunita Williams|NASA astronaut",
            "Tim Peake|British astronaut",
        ),
        ("Cape Canaveral", "Kourou", "Boca Chica", "Baikonur", "Houston", "Sriharikota"),
        ("NASA", "SpaceX", "the European Space Agency", "Blue Origin", "ISRO"),
        (
            "rocket launch",
            "moon mission",
            "satellite failure",
            "Starship test",
            "space station crew",
            "Mars sample plan",
        ),
        ("scrubs", "completes", "postpones", "celebrates", "loses", "announces"),
        ("space", "NASA", "SpaceX", "rockets", "moon"),
    ),
    Topic(
        "trade",
        (
            "Jamieson Greer|US Trade Representative",
            "Maroš Šefčovič|EU trade commissioner",
            "He Lifeng|Chinese Vice Premier",
            "Scott Bessent|US Treasury Secretary",
            "Piyush Goyal|Indian commerce minister",
        ),
        ("Beijing", "Washington", "Brussels", "New Delhi", "Geneva", "Ottawa", "Mexico City"),
        (
            "the World Trade Organization",
            "the Commerce Department",
            "the European Commission",
            "Customs and Border Protection",
        ),
        ("tariff hike", "trade truce", "export controls", "steel duties", "trade deal", "supply chain squeeze"),
        ("imposes", "pauses", "extends", "retaliates with", "negotiates", "drops"),
        ("tariffs", "trade", "China", "exports", "global economy"),
    ),
    Topic(
        "courts",
        (
            "John Roberts|US Chief Justice",
            "Merrick Garland|former US Attorney General",
            "Pam Bondi|US Attorney General",
            "Karim Khan|ICC prosecutor",
            "Amy Coney Barrett|Supreme Court justice",
        ),
        ("Washington", "The Hague", "Strasbourg", "Luxembourg", "New York", "Atlanta"),
        (
            "the Supreme Court",
            "the International Criminal Court",
            "the Justice Department",
            "the European Court of Human Rights",
        ),
        ("landmark ruling", "appeal hearing", "indictment", "arrest warrant", "class action", "plea deal"),
        ("blocks", "upholds", "overturns", "hears", "dismisses", "expands"),
        ("courts", "law", "justice", "human rights", "Supreme Court"),
    ),
)

# (name in copyright and datelines, the style of its header)
OUTLETS = (
    "Reuters",
    "Associated Press",
    "MENAFN",
    "Newsmax",
    "Breitbart",
    "UNN",
    "The Hill",
    "Kyiv Independent",
    "Al Jazeera",
    "Deutsche Welle",
    "France 24",
    "Euronews",
    "The Guardian",
    "BBC News",
    "CNN",
    "Bloomberg",
    "Politico",
    "Axios",
    "Fox News",
    "NPR",
    "Daily Sabah",
    "Anadolu Agency",
    "TASS",
    "Xinhua",
    "Times of India",
    "The Hindu",
    "Sydney Morning Herald",
    "CBC News",
    "Irish Times",
    "Le Monde",
    "El País",
    "Der Spiegel",
    "Sky News",
    "Financial Times",
    "Nikkei Asia",
    "South China Morning Post",
    "Hürriyet Daily News",
    "The Local",
    "Semafor",
    "Business Insider",
)

AUTHORS = (
    "Jane Whitfield",
    "Oleksiy Marchenko",
    "Priya Raman",
    "Tom O'Brien",
    "Sophie Laurent",
    "Kenji Watanabe",
    "Amira Haddad",
    "Lukas Becker",
    "María José Ortega",
    "Chidi Okafor",
    "Ingrid Solberg",
    "David Cohen",
)

OPENERS = (
    "{person} said on {weekday} that {org} would not accept any {noun} that ignored the situation on the ground.",
    "The {noun} dominated the agenda in {place} on {weekday}, as {person} met officials from {org}.",
    "{org} confirmed on {weekday} that the {noun} would go ahead, despite objections raised in {place}.",
    "Officials in {place} were scrambling on {weekday} after {person} {verb} the {noun}.",
    "{Person_role} {person} {verb} the {noun}, a move that surprised observers in {place}.",
)
BODY = (
    "{person}, the {role}, told reporters in {place} that the {noun} was \u201cthe only realistic option left on the table.\u201d",
    "Analysts said the {noun} could cost as much as ${number} billion over the next {small} years.",
    "According to two people familiar with the discussions, {org} had been preparing for the {noun} since {month}.",
    "\u201cWe are not going to be rushed into anything,\u201d {person} said. \u201cThe details matter more than the timetable.\u201d",
    "Critics in {place} argued that the {noun} did little to address the concerns raised by {org} earlier this year.",
    "The announcement came just {small} days after {other} warned that talks on the {noun} were close to collapse.",
    "A spokesperson for {org} declined to comment on the {noun}, saying only that {quoteish}.",
    "Markets reacted cautiously, with investors in {place} waiting for more detail on the {noun}.",
    "{other}, who has long opposed the plan, said the {noun} was \u201ca mistake that will be paid for by ordinary people.\u201d",
    "The {noun} is expected to be discussed again when officials meet in {place2} later this month.",
    "Some {number} people attended a protest in {place} on {weekday}, many of them carrying banners about the {noun}.",
    "In a statement, {org} said it remained \u201cfully committed\u201d to the {noun} and would publish further details in {month}.",
    "Earlier, {person} had suggested that the {noun} could be revised if conditions in {place2} changed.",
    "The figures released on {weekday} showed a rise of {small}.{small} percent, the largest since {month} {year0}.",
    "It was not immediately clear how the {noun} would be financed, or who would oversee it.",
    "{other} is due to travel to {place2} next week, where the {noun} is likely to come up again.",
    "Officials privately acknowledged that the {noun} had been drafted in haste, with several clauses still disputed.",
    "\u201cThis is a turning point,\u201d said {other}. \u201cWhether it is a good one, we will know in {small} months.\u201d",
    "The debate over the {noun} has divided {org}, with some members calling for a delay until {month}.",
    "Local media in {place} reported that preparations for the {noun} had been under way for weeks.",
    "Diplomats from {org} spent most of {weekday} in closed-door meetings, emerging only briefly to speak to the press.",
    "{person} has faced mounting pressure at home, where opinion polls show support slipping for a {small}th month.",
    "The last comparable episode, in {month} {year0}, ended without agreement after {small} rounds of negotiation.",
    "Opposition figures in {place2} accused {person} of using the {noun} to distract from domestic problems.",
    "A senior official, speaking on condition of anonymity, said the two sides remained \u201cfar apart\u201d on key points.",
    "Observers noted that {other} had been notably absent from the talks in {place}.",
    "Shares of companies exposed to the {noun} fell by as much as {small} percent in early trading.",
    "{org} is expected to publish its own assessment of the {noun} before the end of {month}.",
    "Residents interviewed in {place} were divided, with some welcoming the {noun} and others calling it premature.",
    "The {role} has repeatedly said that any decision on the {noun} must be taken \u201cby the people it affects.\u201d",
    "Behind the scenes, officials from {org} and their counterparts in {place2} have exchanged several draft texts.",
    "The cost of the {noun} has not been disclosed, though estimates range from ${small} billion to ${number} billion.",
    "Television footage showed {person} arriving in {place} shortly before noon, surrounded by security staff.",
    "Legal experts said the {noun} could face challenges in court, particularly over who has the authority to approve it.",
    "{other} said on social media that the {noun} was \u201clong overdue\u201d and thanked negotiators for their work.",
    "Weather and logistics had already forced organisers in {place} to postpone parts of the programme twice.",
    "It remains unclear whether {org} will take part in the next round, scheduled for {month}.",
    "The {noun} follows a series of setbacks, including a failed attempt at a similar arrangement in {year0}.",
    "Commentators in {place2} described the week as the most consequential for the {noun} since {year0}.",
    "Officials in {place} said they had received no formal notice of the {noun} before it was made public.",
)
QUOTEISH = (
    "discussions were continuing",
    "no decision had been taken",
    "the process would take time",
    "it would respond in due course",
    "all options remained open",
)
FILLER = (
    "The situation remains fluid, and further announcements are expected in the coming days.",
    "This story has been updated with additional reporting.",
    "Reporting was contributed by correspondents in several capitals.",
    "The full text of the statement was not made public.",
    "It is the first such move in more than a decade.",
    "Neither side has published a timetable.",
)
CHROME = (
    "Share",
    "Advertisement",
    "Leave A Reply",
    "Subscribe to our newsletter",
    "Follow us on X",
    "Click here to get the latest updates",
    "Related:",
    "Print",
    "Tweet",
    "Comments",
)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
START = dt.date(2023, 1, 1)
DAYS = 3 * 365  # 2023 through 2025
STORIES_PER_TOPIC = 400


@dataclass
class Story:
    topic: Topic
    noun: str
    verb: str
    lead: str  # "Name|role"
    place: str
    day: dt.date


@dataclass
class Generated:
    """One article: its raw seed text and what a perfect ingest would make of it."""

    index: int
    file_name: str
    raw: bytes
    title: str
    date: dt.datetime | None
    source: str
    tags: list[str]
    paragraphs: list[str] = field(default_factory=list)


def _story(seed: int, topic_index: int, number: int) -> Story:
    rng = random.Random(f"story:{seed}:{topic_index}:{number}")
    topic = TOPICS[topic_index]
    return Story(
        topic=topic,
        noun=rng.choice(topic.nouns),
        verb=rng.choice(topic.verbs),
        lead=rng.choice(topic.people),
        place=rng.choice(topic.places),
        day=START + dt.timedelta(days=rng.randrange(DAYS)),
    )


def _fill(rng: random.Random, template: str, story: Story) -> str:
    topic = story.topic
    lead_name, lead_role = story.lead.split("|")
    other = rng.choice([p for p in topic.people if p != story.lead] or list(topic.people)).split("|")[0]
    month = dt.date(2000, rng.randint(1, 12), 1).strftime("%B")
    values = {
        "person": lead_name,
        "role": lead_role,
        "Person_role": lead_role[:1].upper() + lead_role[1:],
        "other": other,
        "org": rng.choice(topic.orgs),
        "noun": story.noun,
        "verb": story.verb,
        "place": story.place,
        "place2": rng.choice(topic.places),
        "weekday": WEEKDAYS[story.day.weekday()],
        "number": rng.choice((12, 40, 150, 300, 2500, 18)),
        "small": rng.randint(2, 9),
        "month": month,
        "year0": story.day.year - rng.randint(1, 6),
        "quoteish": rng.choice(QUOTEISH),
    }
    text = template.format(**values)
    return text[:1].upper() + text[1:]


def _paragraphs(rng: random.Random, story: Story, words: int) -> list[str]:
    paragraphs = [_fill(rng, rng.choice(OPENERS), story)]
    count = len(paragraphs[0].split())
    deck: list[str] = []
    while count < words:
        if len(deck) < 3:  # deal templates without replacement, so long articles repeat themselves less
            deck = rng.sample(BODY, len(BODY))
        sentences = [_fill(rng, deck.pop(), story) for _ in range(rng.randint(1, 3))]
        if rng.random() < 0.1:
            sentences.append(rng.choice(FILLER))
        paragraph = " ".join(sentences)
        paragraphs.append(paragraph)
        count += len(paragraph.split())
    return paragraphs


def _title(rng: random.Random, story: Story) -> str:
    name = story.lead.split("|")[0]
    surname = name.split()[-1]
    forms = (
        f"{surname} {story.verb} {story.noun} as {story.place} waits",
        f"{name} {story.verb} {story.noun}",
        f"{story.topic.orgs[0][4:] if story.topic.orgs[0].startswith('the ') else story.topic.orgs[0]} "
        f"{story.verb} {story.noun} after talks in {story.place}",
        f"What the {story.noun} means for {story.place}",
        f"{surname} {story.verb} {story.noun}, officials say",
    )
    title = rng.choice(forms)
    return title[:1].upper() + title[1:]


def _header(rng: random.Random, when: dt.datetime) -> list[str]:
    """Lines before the title; styles 1, 6 and 7 have none (a "Published:" line may follow the title)."""
    style = rng.randrange(8)
    if style == 0:
        return [f" date {when:%Y-%m-%d} {rng.randint(100, 999)}"]
    if style == 1:
        return []  # "Published:" follows the title, see below
    if style == 2:
        return [f"{when:%d %b %Y %H:%M} GMT"]
    if style == 3:
        return [when.strftime("%Y-%m-%dT%H:%M:%SZ")]
    if style == 4:
        meridiem = when.strftime("%p").lower()
        return [f"By {rng.choice(AUTHORS)} | {when:%B} {when.day}, {when:%Y} {when:%I:%M} {meridiem}"]
    if style == 5:
        return [f"Updated {when:%I:%M %p} EDT, {when:%a %B} {when.day}, {when:%Y}"]
    return []


def _dateline(rng: random.Random, story: Story, outlet: str, when: dt.datetime) -> str:
    style = rng.randrange(6)
    if style == 0:
        return f"{story.place.upper()} ({outlet}) - "
    if style == 1:
        return f"({outlet}) "
    if style == 2:
        return f"{story.place.upper()}, {when:%b} {when.day} ({outlet}) \u2014 "
    if style == 3:
        return f"{story.place.upper()} \u2014 "
    return ""


def _tags(rng: random.Random, story: Story, paragraphs: list[str]) -> list[str]:
    text = " ".join(paragraphs)
    people = [p.split("|")[0] for p in story.topic.people if p.split("|")[0] in text]
    places = [p for p in story.topic.places if p in text]
    chosen = rng.sample(story.topic.keywords, k=rng.randint(1, 3)) + people[:3] + places[:2]
    return list(dict.fromkeys(chosen))[:8]


def generate_one(seed: int, index: int) -> Generated:
    rng = random.Random(f"article:{seed}:{index}")
    topic_index = rng.randrange(len(TOPICS))
    story = _story(seed, topic_index, rng.randrange(STORIES_PER_TOPIC))
    day = story.day + dt.timedelta(days=rng.randint(-2, 3))
    when = dt.datetime(day.year, day.month, day.day, rng.randint(5, 22), rng.randrange(60), tzinfo=dt.timezone.utc)
    outlet = rng.choice(OUTLETS)
    words = int(min(1500, max(300, rng.lognormvariate(6.4, 0.45))))
    paragraphs = _paragraphs(rng, story, words)
    title = _title(rng, story)

    header = _header(rng, when)
    has_title = rng.random() > 0.08
    lines = list(header)
    if has_title:
        lines.append(title)
    if not header and has_title and rng.random() < 0.5:
        lines.append(f"Published: {when:%B} {when.day}, {when:%Y}")
    dated = bool(header) or (len(lines) > 1)
    body = list(paragraphs)
    body[0] = _dateline(rng, story, outlet, when) + body[0]
    if rng.random() < 0.35:
        body.insert(rng.randint(1, len(body)), rng.choice(CHROME))
    if rng.random() < 0.4:
        other = _title(
            random.Random(f"see:{seed}:{index}"), _story(seed, topic_index, rng.randrange(STORIES_PER_TOPIC))
        )
        body.insert(rng.randint(1, len(body)), rng.choice(("See also  ", "Read more: ", "WATCH \u2014 ")) + other)
    if rng.random() < 0.3:
        body.append(f"\u00a9 {when.year} {outlet}. All rights reserved.")
    if rng.random() < 0.15:
        body.append(rng.choice(("Leave A Reply", "Share this article", "Advertisement")))
    separator = "\n\n" if rng.random() < 0.6 else "\n"
    text = "\n".join(lines) + ("\n" if lines else "") + separator.join(body) + "\n"
    if rng.random() < 0.03:
        text = text.replace("\n", "\r\n")
    encoding = "cp1252" if rng.random() < 0.02 else "utf-8"
    raw = text.encode(encoding, errors="replace")
    digest = hashlib.sha256(raw).hexdigest()[:16]
    return Generated(
        index=index,
        file_name=f"{index:05d}_{digest}.txt",
        raw=raw,
        title=title,
        date=when if dated else None,
        source=outlet,
        tags=_tags(rng, story, paragraphs),
        paragraphs=paragraphs,
    )


def to_article(item: Generated, slug: str) -> Article:
    summary = item.paragraphs[0].split(". ")[0].rstrip(".") + "."
    return Article(
        slug=slug,
        title=item.title,
        body="\n\n".join(item.paragraphs),
        date=item.date,
        source=item.source,
        tags=item.tags,
        summary=summary,
    )


def _as_project(directory: Path) -> None:
    """digest builds and serves only in a project: one marked by its digest.yaml."""
    directory.mkdir(parents=True, exist_ok=True)
    config = directory / "digest.yaml"
    if not config.exists():
        config.write_text("# a generated benchmark project: every key at its default\n", encoding="utf-8")


def write_seeds(directory: Path, count: int, seed: int = 7) -> int:
    _as_project(directory)
    seeds = directory / "seeds"
    seeds.mkdir(parents=True, exist_ok=True)
    for index in range(count):
        item = generate_one(seed, index)
        (seeds / item.file_name).write_bytes(item.raw)
    return count


def write_content(directory: Path, count: int, seed: int = 7) -> int:
    _as_project(directory)
    content = directory / "content"
    content.mkdir(parents=True, exist_ok=True)
    used: set[str] = set()
    for index in range(count):
        item = generate_one(seed, index)
        base = slugify(item.title)
        slug, suffix = base, 2
        while slug in used:  # the same headline on several days: ingest would disambiguate too
            slug, suffix = f"{base}-{suffix}", suffix + 1
        used.add(slug)
        (content / f"{slug}.md").write_text(dump_article(to_article(item, slug)), encoding="utf-8")
    return count


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("-n", "--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--content", action="store_true", help="write content/*.md instead of seeds/*.txt")
    args = parser.parse_args(argv)
    writer = write_content if args.content else write_seeds
    written = writer(args.directory, args.count, args.seed)
    print(f"wrote {written} {'content files' if args.content else 'seeds'} to {args.directory}")


if __name__ == "__main__":
    main()
