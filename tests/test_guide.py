"""The seed guide parses into the typed model, mojibake and nested fences included."""
from __future__ import annotations

import json

import pytest

from interviewer.cli import main
from interviewer.errors import GuideError
from interviewer.guide import load_guide_file, parse_guide
from interviewer.guide.repair import decode_guide_bytes, repair_mojibake

from conftest import KNOWLEDGE, SEED_GUIDE

TRACKS = {
    "system-design": ["Design a payment processing system for a fintech company", "Design a real-time notification system",
                      "How would you scale a system from 1M to 100M users?", "Design a distributed cache system"],
    "backend": ["Explain the differences between REST and GraphQL APIs", "How do you handle database transactions and consistency?"],
    "frontend": ["How do you optimize frontend performance?", "How do you handle state management in large applications?"],
    "architecture": ["When would you choose microservices over monolith?", "How do you handle service-to-service communication?",
                     "How do you design a data warehouse?"],
    "devops": ["How do you design a CI/CD pipeline?", "How do you handle monitoring and observability?"],
    "leadership": ["How do you handle technical disagreements in your team?", "How do you mentor and develop your team?",
                   "How do you estimate and plan large technical projects?"],
}


def test_sixteen_questions_with_titles_and_tracks(guide):
    assert len(guide.questions) == 16
    assert {t: [q.text for q in qs] for t, qs in guide.tracks().items()} == TRACKS
    assert guide.question("design-a-distributed-cache-system").text == "Design a distributed cache system"


def test_parts_points_and_diagrams(guide):
    pay = guide.question("design-a-payment-processing-system-for-a-fintech-company")
    assert [p.title for p in pay.parts] == ["Requirements Clarification", "High-Level Architecture", "Key Components"]
    assert len(pay.part("Requirements Clarification").points) == 5
    assert pay.part(1).points[3].text == "Security: Compliance requirements (PCI DSS)"
    # The nested fenced diagram belongs to its part and does not end the framework block early.
    assert "[Fraud Detection] → [Database Layer] → [External APIs]" in pay.part(2).diagram
    assert pay.part(3).points[0].label == "API Gateway"
    rest = guide.question("explain-the-differences-between-rest-and-graphql-apis")
    assert [len(p.points) for p in rest.parts] == [5, 5, 3]
    cicd = guide.question("how-do-you-design-a-ci-cd-pipeline")
    assert cicd.parts[0].title == "CI (Continuous Integration)" and len(cicd.parts[0].points) == 4
    notif = guide.question("design-a-real-time-notification-system")
    assert [t.label for t in notif.technology_choices][:2] == ["Event Streaming", "Real-time Communication"]


def test_example_answers_are_a_separate_field(guide):
    cache = guide.question("design-a-distributed-cache-system")
    assert cache.example.headline == "Implemented distributed Redis cluster"
    assert cache.example.bullets[-1] == "Reduced database load by 80%"
    assert all(q.example and q.example.bullets for q in guide.questions)
    assert all("Example" not in p.title for q in guide.questions for p in q.parts)


def test_general_frameworks_tips_and_pitfalls(guide):
    assert [f.title for f in guide.general_frameworks] == ["Technical Problem Solving", "System Design Framework"]
    assert [p.title for p in guide.general_frameworks[1].parts][0] == "Requirements Gathering"
    assert guide.pitfalls == [
        "Not asking clarifying questions", "Jumping to solutions without understanding requirements",
        "Not considering trade-offs and constraints", "Failing to provide specific examples",
        "Not showing leadership and communication skills",
    ]
    assert [t.title for t in guide.tips] == ["Preparation", "During the Interview", "Follow-up"]


def test_raw_seed_file_with_mojibake_parses_the_same(guide):
    raw = load_guide_file(SEED_GUIDE)
    assert [q.model_dump(exclude={"source"}) for q in raw.questions] == [q.model_dump(exclude={"source"}) for q in guide.questions]
    text = decode_guide_bytes(SEED_GUIDE.read_bytes())
    assert "‚Üí" not in text and "→" in text and "🎯" in text


def test_clean_text_is_left_alone():
    for s in ("plain ascii", "café → naïve 🎯", "中文"):
        assert repair_mojibake(s) == s


@pytest.mark.parametrize("content, message", [
    (b"", "empty"),
    (b"\x00\x01\x02\x03PK\x03\x04" * 100, "binary"),
    (b"# Guide\n\n**Q: Design X**\n```\nApproach:\n1. **Req:**\n   - a\n", "never closed"),
])
def test_malformed_guides_get_a_clear_error_naming_the_file(tmp_path, content, message):
    path = tmp_path / "bad.md"
    path.write_bytes(content)
    with pytest.raises(GuideError, match=message) as err:
        load_guide_file(path)
    assert "bad.md" in str(err.value)


def test_unclosed_fence_error_names_the_line(tmp_path):
    path = tmp_path / "bad.md"
    path.write_text("# Guide\n\ntext\n\n**Q: Design X**\n```\nApproach:\n", encoding="utf-8")
    with pytest.raises(GuideError, match=r"bad.md line 6"):
        load_guide_file(path)


def test_foreign_guide_without_questions_becomes_plain_sections():
    g = parse_guide("# Notes\n\n## Caching\nUse TTLs.\n\n## Queues\nBack-pressure matters.\n", source="notes.md")
    assert not g.questions and [s.heading_path[-1] for s in g.sections] == ["Caching", "Queues"]
    assert any("no '**Q:" in w for w in g.warnings)


def test_questions_cli_lists_the_bank_as_json(capsys, settings):
    assert main(["questions", "--track", "leadership", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["id"] for r in rows] == ["how-do-you-handle-technical-disagreements-in-your-team",
                                       "how-do-you-mentor-and-develop-your-team", "how-do-you-estimate-and-plan-large-technical-projects"]
    assert rows[0]["parts"][0]["title"] == "Conflict Resolution"


def test_questions_cli_unknown_track_says_which_exist(capsys, settings):
    assert main(["questions", "--track", "nope"]) == 2
    assert "system-design" in capsys.readouterr().out


def test_knowledge_folder_is_the_repaired_guide():
    text = (KNOWLEDGE / "senior-engineering-guide.md").read_text(encoding="utf-8")
    assert "üéØ" not in text and "🎯" in text
