"""Picture credits, video prompts and staff credits in many outlets' wordings: recognised by their shape,
and a sentence that only mentions a photo, a video or a time is article text."""

from __future__ import annotations

import pytest

from digest.config import Config
from digest.ingest.boilerplate import chrome_category
from digest.ingest.credits import credit_or_prompt
from digest.ingest.decode import decode
from digest.ingest.header import is_staff_credit
from digest.ingest.normalise import normalise


@pytest.mark.parametrize(
    "line",
    [
        "Photograph: Ben Birchall/PA",
        "The ferry was inspected at Portsmouth in May. Photograph: Ben Birchall/PA",
        "(Photo by Scott Olson/Getty Images)",
        "Picture: Highways Agency",
        "Illustration by Jane Doe",
        "Photo credit: John Smith / Reuters",
        "Photo: AFP via Getty Images",
        "Credit: NASA/JPL-Caltech",
        "Ben Birchall/PA",
        "(AP Photo/Charles Krupa)",
        "PHOTO: REUTERS/Jane Doe",
        "Photos: Jane Smith for The Guardian",
        "Photographs by Mary Lee and Tom Ng",
    ],
)
def test_picture_credits(line: str) -> None:
    assert credit_or_prompt(line) == "image credit"
    assert chrome_category(line) is not None


@pytest.mark.parametrize(
    "line",
    [
        'Play video, "Flames close in on villages near Athens", duration 1:02',
        "Media playback is unsupported on your device",
        "Video duration 2:31",
        "Watch now: Storm hits the coast 2:31",
        "▶ Watch: “The moment the bridge fell”",
    ],
)
def test_video_prompts(line: str) -> None:
    assert credit_or_prompt(line) == "video prompt"


@pytest.mark.parametrize(
    "line",
    [
        "Photo: the mayor speaks at the rally",
        "Photographs by the victim's family were shown in court, the lawyer said.",
        "Covid/Flu Season Begins",
        "Either/Or",
        "The image by Banksy sold for £1m.",
        "Watch the moment rescuers reach the teenager",
        "He said the video showed the car at 10:45",
        "Play resumed after a delay of 1:30",
        "Pictures by local artists will be shown at the library until May 3.",
    ],
)
def test_sentences_about_pictures_and_videos_are_text(line: str) -> None:
    assert credit_or_prompt(line) is None


@pytest.mark.parametrize(
    "line, credit",
    [
        ("(Reporting by Andy Bruce in London; Editing by Toby Chopra)", True),
        ("--With assistance from Yoshiaki Nohara.", True),
        ("Additional reporting by Jo Lee", True),
        ("Compiled by Sam Park", True),
        ("Reporting by the BBC found that the scheme had failed.", False),
        ("Edited by hand, the files were then sent to the court.", False),
    ],
)
def test_staff_credits(line: str, credit: bool) -> None:
    assert is_staff_credit(line) is credit


def test_credited_staff_are_not_tags_and_credits_leave_the_body() -> None:
    text = (
        "Ferry operator fined over lifeboat failures\n\n"
        "Photograph: Ben Birchall/PA\n\n"
        "A ferry operator has been fined £450,000 after inspectors in Portsmouth found that three of its lifeboats "
        "could not be lowered, the Maritime and Coastguard Agency said.\n\n"
        "(Reporting by Andy Bruce in London; Editing by Toby Chopra)"
    )
    article = normalise(decode(text), "seeds/ferry.txt", Config()).article
    assert "Photograph" not in article.body and "Portsmouth" in article.body
    assert "Reporting by Andy Bruce" in article.body  # the credit is the agency's text: it stays
    assert not {"Andy Bruce", "Toby Chopra", "Ben Birchall", "PA"} & set(article.tags)
    assert "Portsmouth" in article.tags
