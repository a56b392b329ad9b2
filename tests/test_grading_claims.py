"""Rules 5 and 8, "confidently wrong central claims": an answer that states almost none of the guide's
points and makes confident claims the guide does not back is capped at 1 (2 when one point is
still stated), with the claim quoted.
The offline grader cannot tell a claim true from false, so the cap never touches an answer that
states the points, and a confident sentence that *is* a point's evidence is never read as one."""
from __future__ import annotations

from interviewer.grading import signals as sig
from interviewer.grading.text import split_units

from test_grading import CACHE, STRONG, grader  # noqa: F401  (grader: the shared module fixture)

# Written for this test: fluent, on topic, confidently wrong throughout.
WRONG = (
    "Honestly a cache doesn't need any invalidation strategy, because the database automatically pushes every change "
    "into the cache for you. I'd put everything on one big Redis box, since sharding is overkill and a single node "
    "never runs out of memory if you buy enough RAM. Replicas are a waste of time for a cache. Write-back is always "
    "the safest choice because nothing can ever be lost."
)


def test_a_confidently_wrong_answer_is_capped_at_1_with_a_claim_quoted(grader):
    card = grader.grade(CACHE, WRONG)
    assert card.overall == 1.0
    assert "confident_claims" in card.flags
    note = next(n for n in card.notes if n.startswith("Capped at 1.0") and "confident claims" in n)
    quoted = note.split("\u201c", 1)[1].split("\u201d", 1)[0].removesuffix(" …")
    assert quoted and quoted in WRONG  # the claim the user is asked to check is their own words
    assert card.claims and card.claims[0].startswith(quoted)  # the claim the interviewer challenges
    # Four sentences make claims: the card quotes one the near-miss note does not quote already.
    touched = next((n for n in card.notes if n.startswith("Touched but not stated")), "")
    assert quoted[:60] not in touched


def test_one_point_stated_beside_the_claims_earns_the_rules_2_not_1(grader):
    # The labellers' rule: "2 if at least one point is still correctly made once the wrong claims are
    # set aside, else 1". Monitoring stated with its purpose is that point; it was floored at 1.0.
    card = grader.grade(CACHE, WRONG + " I'd watch the hit rate and p99 latency per node so we notice when the cache stops helping.")
    credited = [p.id for d in card.dimensions if d.kind == "framework" for p in d.points if p.status == "covered"]
    assert credited and 1.0 < card.overall <= 2.0, (credited, card.overall, card.notes)


def test_the_same_claims_beside_the_stated_points_do_not_cap_the_answer(grader):
    # The grader cannot tell the claims are wrong; it reads them only where almost nothing is stated.
    card = grader.grade(CACHE, STRONG + " " + WRONG)
    assert "confident_claims" not in card.flags
    assert card.claims == []
    assert card.overall >= 3.0


def test_a_confident_sentence_that_states_a_point_is_not_a_claim_to_check():
    text = "We always write through to the database on every update. Caching is overkill for small teams, honestly."
    units = split_units(text)
    first_is_evidence = [u.text.startswith("We always") for u in units]
    claims = sig.confident_claims(units, first_is_evidence)
    assert [u.text for u in claims] == ["Caching is overkill for small teams, honestly."]


def test_a_strong_answer_with_absolutes_is_not_read_as_confidently_wrong(grader):
    text = STRONG.replace("I'd use consistent hashing", "I'd always use consistent hashing").replace(
        "For invalidation I'd use", "For invalidation you never skip expiry, so I'd use")
    card = grader.grade(CACHE, text)
    assert "confident_claims" not in card.flags
    assert card.overall >= 3.5


def test_the_card_lists_each_claim_once_and_quotes_a_sentence_once(grader):
    card = grader.grade(CACHE, WRONG)
    # Four sentences make claims; a clause of one of them is not a fifth claim to check.
    assert len(card.claims) == 4 and not any(a != b and a in b for a in card.claims for b in card.claims), card.claims
    note = next(n for n in card.notes if n.startswith("Capped at 1.0"))
    assert note.count("\u201c") == 3 and "(and 1 more)" in note  # the first three, then how many more
    touched = next(n for n in card.notes if n.startswith("Touched but not stated"))
    quoted = [q.split("\u201d", 1)[0].removesuffix(" \u2026") for q in touched.split("\u201c")[1:]]
    sentences = [q for q in quoted if q in WRONG and len(q.split()) > 6]  # the answer's sentences, not the point names
    assert not any(a != b and (a in b or b in a) for a in sentences for b in sentences), touched


def test_a_need_put_off_is_not_a_dismissal_in_any_register():
    # Lazy loading said casually ("you don't need right away") read as dismissing a need, and the
    # casual answer was capped at 1 where its essay twin ("not needed immediately") was not.
    deferred = ["like lazy load the parts of the app you don't need right away, and compress the images",
                "lazy loading the parts of the application that are not needed immediately"]
    dismissed = ["you don't need a ledger with debits and credits, just keep a balance field",
                 "a ledger is a 1970s accounting thing, it's not needed now"]
    assert not any(sig.matches("confident_claim", s) for s in deferred)
    assert all(sig.matches("confident_claim", s) for s in dismissed)
