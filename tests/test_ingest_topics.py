"""Topic tags: general subjects told by vocabulary, beside the names entity recognition finds."""

from digest.ingest.topics import topic_tags

FOOTBALL = """Arsenal beat Chelsea 2-1 in a tense derby on Sunday to stay top of the league.
The striker scored the winning goal in the second half, and the coach praised his players
after the match. It was a war of attrition, he said, but the squad kept its nerve as the
season reaches its decisive weeks and the cup run continues."""

CENTRAL_BANK = """The central bank raised its interest rate by a quarter point on Thursday as inflation
stayed above target. Officials said economic growth had slowed and unemployment edged up,
while the government's budget deficit widened. Economists expect the economy to avoid a
recession this year."""

CEASEFIRE = """Diplomats met in Geneva for a second round of talks on a ceasefire. The envoy said the
negotiations were difficult, while troops on the front line reported fresh shelling and
drone strikes overnight. The foreign minister will join the summit on Friday."""


def test_a_sports_report_is_sport_and_one_war_metaphor_does_not_make_it_a_war_story():
    tags = topic_tags("Arsenal edge Chelsea in derby", FOOTBALL)
    assert tags[0] == "Sport"
    assert "War and conflict" not in tags


def test_an_economics_story_is_economy():
    assert topic_tags("Central bank raises rates again", CENTRAL_BANK)[0] == "Economy"


def test_a_story_can_have_two_topics_but_no_more():
    tags = topic_tags("Ceasefire talks resume in Geneva", CEASEFIRE)
    assert set(tags) == {"Diplomacy", "War and conflict"}
    assert len(topic_tags("x", CEASEFIRE + FOOTBALL + CENTRAL_BANK)) == 2


def test_too_little_evidence_gives_no_topic():
    assert topic_tags("Local man wins prize", "A local man won a prize for his marrows at the village show.") == []
