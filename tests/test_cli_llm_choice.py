"""Which model the app uses, and the mode line that says so (or why it is offline)."""
from __future__ import annotations

import pytest
from pydantic import SecretStr

from fake_openai import SENTINEL_KEY
from interviewer.llm_choice import choose_llm, resolve_llm
from interviewer.settings import OPENAI_DEFAULT_MODEL


def _with(settings, **update):
    if "llm_api_key" in update:
        update["llm_api_key"] = SecretStr(update["llm_api_key"])
    return settings.model_copy(update=update)


def test_nothing_configured_is_offline_and_says_how_to_turn_it_on(settings, no_network):
    s = resolve_llm(settings)
    assert not s.llm_enabled
    assert s.describe_llm().startswith("offline — no LLM configured") and "OPENAI_API_KEY" in s.describe_llm()
    assert no_network == []


def test_an_openai_key_without_a_model_uses_the_documented_default(settings, no_network):
    s = resolve_llm(_with(settings, llm_api_key=SENTINEL_KEY))
    assert s.llm_model == OPENAI_DEFAULT_MODEL == "gpt-4o-mini"
    line = s.describe_llm()
    assert "gpt-4o-mini" in line and "default" in line and SENTINEL_KEY not in line
    assert no_network == [], "OpenAI's endpoint is not asked: the default is documented"


def test_a_model_without_key_or_endpoint_says_what_is_missing(settings):
    s = resolve_llm(_with(settings, llm_model="gpt-4o"))
    assert not s.llm_enabled and "OPENAI_API_KEY" in s.describe_llm()


def test_a_configured_model_is_used_as_is_without_asking_the_server(settings, fake_openai):
    s = resolve_llm(_with(settings, llm_model="my-model", llm_base_url=fake_openai.url))
    assert s.llm_model == "my-model" and "my-model" in s.describe_llm()
    assert fake_openai.model_listings == []


def test_a_base_url_without_a_model_uses_the_only_model_the_server_serves(settings, fake_openai):
    fake_openai.models = ["llama3.1:8b"]
    s = resolve_llm(_with(settings, llm_base_url=fake_openai.url, llm_api_key=SENTINEL_KEY))
    assert s.llm_model == "llama3.1:8b" and s.llm_enabled
    assert "llama3.1:8b" in s.describe_llm() and "only model" in s.describe_llm()
    assert len(fake_openai.model_listings) == 1, "asked once"
    assert fake_openai.model_listings[0]["authorization"] == f"Bearer {SENTINEL_KEY}", "with the key, as the server expects"
    assert SENTINEL_KEY not in s.describe_llm()


def test_a_server_with_several_models_is_offline_and_names_them(settings, fake_openai):
    fake_openai.models = ["qwen2.5:7b", "llama3.1:8b"]
    s = resolve_llm(_with(settings, llm_base_url=fake_openai.url))
    line = s.describe_llm()
    assert not s.llm_enabled
    assert "2 models" in line and "llama3.1:8b" in line and "qwen2.5:7b" in line and "INTERVIEWER_LLM_MODEL" in line


def test_an_unreachable_server_is_offline_with_the_reason_and_no_secrets(settings, fake_openai, no_network):
    url = fake_openai.url.replace("http://", "http://user:hunter2@")
    fake_openai.stop()  # nothing listens there any more
    s = resolve_llm(_with(settings, llm_base_url=url, llm_api_key=SENTINEL_KEY, llm_timeout_s=1.0))
    line = s.describe_llm()
    assert not s.llm_enabled and "could not list the models" in line and "INTERVIEWER_LLM_BASE_URL" in line
    assert SENTINEL_KEY not in line and "hunter2" not in line
    assert no_network == [] and "refused" in line.lower(), "the loopback server was tried, nothing else"


def test_a_base_url_without_http_is_offline_with_the_fix_not_a_crash(settings, no_network):
    s = resolve_llm(_with(settings, llm_base_url="myhost:8000/v1"))
    assert not s.llm_enabled and "must start with http:// or https://" in s.describe_llm()
    assert no_network == []


@pytest.mark.parametrize("served,expect", [([], "serves no models"), (["a", "b", "c", "d", "e", "f", "g"], "and 2 more")])
def test_choose_llm_explains_empty_and_long_model_lists(settings, served, expect):
    choice = choose_llm(_with(settings, llm_base_url="http://gpu-box:8000/v1"), served)
    assert choice.model == "" and expect in choice.reason and "gpu-box:8000" in choice.reason


def test_the_cli_asks_the_server_once_and_its_mode_line_names_the_model(settings, fake_openai, monkeypatch, tmp_path, capsys):
    from interviewer.cli import main

    fake_openai.models = ["served-model"]
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("INTERVIEWER_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("INTERVIEWER_LLM_BASE_URL", fake_openai.url)
    monkeypatch.setenv("INTERVIEWER_LLM_API_KEY", SENTINEL_KEY)
    monkeypatch.setenv("INTERVIEWER_LLM_TIMEOUT_S", "2")
    monkeypatch.setenv("INTERVIEWER_LLM_MAX_RETRIES", "0")
    assert main(["grade", "--question-id", "design-a-distributed-cache-system",
                 "--answer", "Consistent hashing with replicas, LRU eviction and TTLs."]) == 0
    out = capsys.readouterr()
    assert "Mode: served-model (the only model 127.0.0.1:" in out.out
    assert len(fake_openai.model_listings) == 1, "once, at start-up"
    assert all(r.get("model") == "served-model" for r in fake_openai.requests), "the judge used the discovered model"
    assert SENTINEL_KEY not in out.out + out.err


def test_an_offline_eval_never_asks_the_configured_server(settings, fake_openai, monkeypatch, tmp_path, capsys):
    from interviewer.cli import main

    data = tmp_path / "set.jsonl"
    data.write_text('{"id": "a", "question_id": "design-a-distributed-cache-system", "question": "Design a distributed '
                    'cache system", "answer": "Consistent hashing with replicas and TTLs.", "score": 3}\n', encoding="utf-8")
    monkeypatch.setenv("INTERVIEWER_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("INTERVIEWER_LLM_BASE_URL", fake_openai.url)
    assert main(["eval", "--dataset", str(data), "--out", str(tmp_path / "out"), "--grader", "rubric", "--no-progress"]) == 0
    assert fake_openai.model_listings == [] and fake_openai.requests == [], "the rubric grader needs no model"
