"""A missing point whose topic the answer names ("Monitoring would be important too") is not
shown as if the answer never mentioned it: every door says "you name it: say what it does and
why" (the matcher still does not credit a bare mention, and the score is unchanged)."""
from __future__ import annotations

import pytest
from rich.console import Console

from interviewer.grading import Grader
from interviewer.grading.verdict import answer_words, names_topic
from interviewer.terminal.scorecard_view import checklist
from interviewer.ui.cards import gaps_markdown, scorecard_html

CACHE = "design-a-distributed-cache-system"
DRAFT = ("We'd run a few cache nodes behind the app servers. Consistent hashing, obviously. I'd keep a copy of each key "
         "on a second node so one dead box loses nothing, and set TTLs on everything. Monitoring would be important too.")
MONITORING = "Monitoring: Hit rates, latency, memory usage"
HINT = "you name it: say what it does and why"


def test_a_topic_is_named_by_its_words_without_its_purpose_or_the_parts_title():
    said = answer_words("we put consistent hashing in front so keys spread evenly; monitoring matters too")
    assert names_topic("Requirements", "Consistent hashing for data distribution", said)
    assert names_topic("Implementation", MONITORING, said)  # "Monitoring" is the topic; its details are not needed to name it
    assert not names_topic("Requirements", "Monitoring and metrics", said)  # "metrics" is part of this topic and unsaid
    assert not names_topic("Architecture", "Client → Load Balancer → Cache Nodes", said | {"client", "load", "balancer"})


def test_naming_one_of_the_points_own_examples_names_its_topic():
    said = answer_words("we have to be PCI DSS compliant, and everything is in Terraform")
    assert names_topic("Requirements", "Security: Compliance requirements (PCI DSS)", said)
    assert names_topic("Infrastructure", "Infrastructure as Code (Terraform, ARM)", said)  # one item of the list is enough
    assert not names_topic("CI", "Code quality checks (SonarQube, linting)", said)
    assert not names_topic("Requirements", "Security: Compliance requirements (PCI DSS)", answer_words("PCI compliance"))


def test_an_outline_never_asks_for_a_point_whose_example_was_named(embedder, guide):
    from interviewer.grading.verdict import outline

    answer = "Around 2k TPS at peak with p99 under 300 ms. We have to be PCI DSS compliant, so card data never leaves the vault."
    grader, question = Grader(embedder, guide), "design-a-payment-processing-system-for-a-fintech-company"
    card, rubric = grader.grade(question, answer), grader.rubric_for(question)
    steps = outline(rubric, card.dimensions, answer)
    assert not any(step.startswith("Security") for step in steps), steps
    assert "Geographic distribution?" in steps, "an unnamed topic is still asked for"


@pytest.fixture(scope="module")
def card(embedder, guide):
    return Grader(embedder, guide).grade(CACHE, DRAFT)


def test_a_named_but_unstated_point_says_so_at_every_door(card):
    point = next(p for d in card.dimensions for p in d.points if p.text == MONITORING)
    assert point.status == "missing", "precondition: a bare mention of monitoring is not credited"
    gap = next(g for g in card.gaps if g.point == MONITORING)
    assert gap.named and gap.hint == HINT
    assert not next(g for g in card.gaps if g.point == "Monitoring and metrics").named
    assert f"{MONITORING} — *{HINT}*" in gaps_markdown(card)  # the app's missing-points list
    assert "You name it: say what it does and why." in scorecard_html(card)  # the app's checklist
    assert f"— {HINT}" in card.to_markdown()  # the downloaded / CLI markdown scorecard
    console = Console(width=120, record=True)
    console.print(checklist(card))
    assert HINT in console.export_text()  # the CLI checklist
