"""The blind-batch kit hands each helper only its own inputs and a plan that keeps the batch mix."""
import collections

from evals import blind_kit


def test_the_plan_gives_every_question_a_strong_a_weak_and_a_near_miss_answer():
    rows = blind_kit.plan(38, seed=38038)  # built from batch 37's totals, as batch 38 was
    per_question = collections.defaultdict(collections.Counter)
    for r in rows:
        per_question[r["question_id"]][r["kind"]] += 1
    assert len(per_question) == 16 and len(rows) == 112
    assert all(c["strong"] == 1 and c["weak"] == 1 and c["near-miss"] >= 1 for c in per_question.values())
    # Apart from the near misses that every question already has, no kind lands twice on a question.
    assert all(n == 1 for c in per_question.values() for kind, n in c.items() if kind != "near-miss")
    registers = collections.Counter(r["register"] for r in rows)
    assert set(registers) == set(blind_kit.REGISTERS) and max(registers.values()) - min(registers.values()) <= 1
    assert [r["injection"] for r in rows if r["kind"] == "injection"] and all(
        "injection" not in r for r in rows if r["kind"] != "injection")


def test_answers_that_miss_a_slot_are_too_short_or_share_an_opening_are_sent_back():
    plan = [{"wid": "w-1", "question_id": "q"}, {"wid": "w-2", "question_id": "q"}, {"wid": "w-3", "question_id": "q"}]
    long = " word" * 40
    answers = [{"wid": "w-1", "question_id": "q", "answer": "So basically" + long},
               {"wid": "w-2", "question_id": "q", "answer": "so, basically I would" + long},
               {"wid": "w-4", "question_id": "q", "answer": "Too short."}]
    problems = blind_kit.check_answers(plan, answers)
    assert "w-3: missing" in problems
    assert any("open with 'so basically'" in p for p in problems)


def test_labellers_get_the_rules_and_appendix_but_not_the_writer_notes():
    rules = blind_kit.labelling_rules()
    assert rules.startswith("## Guide set: the 1–5 scale") and "## Appendix: point ids per guide question" in rules
    assert "Blind labelling protocol" not in rules and "Thirty-eighth batch" not in rules


def test_each_batch_gets_injection_forms_the_batch_before_did_not_use():
    for batch in range(30, 45):
        assert not set(blind_kit.injection_forms(batch)) & set(blind_kit.injection_forms(batch - 1))
    assert len({f for b in range(30, 35) for f in blind_kit.injection_forms(b)}) == len(blind_kit.INJECTION_FORMS)
