# The two commands a newcomer needs: `make run` and `make test`. Both are idempotent and
# skip the install when pyproject.toml has not changed since the last one.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
export GRADIO_ANALYTICS_ENABLED := False
export HF_HUB_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False

LLAMA_CMAKE_ARGS ?= -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON

.PHONY: run test ingest bench bench-app bench-scale browser postgres eval clean help

help:
	@echo "make run    - install (once), build/refresh the index, start the app on http://127.0.0.1:7860"
	@echo "make test   - install with the dev extra (once) and run the test suite + eval gate"
	@echo "make bench  - print ingest/search/grading benchmark figures"
	@echo "make bench-app - print the app's cold start and draft-feedback API latency"
	@echo "make bench-scale - turns/s and turn latency: SQLite vs PostgreSQL, 1 vs 2 replicas, 20 and 40 users"
	@echo "make eval   - run the grading evals and write reports to evals/out/"

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.stamp-run: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	@touch $@

$(VENV)/.stamp-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[dev]'
	@touch $@ $(VENV)/.stamp-run

ingest: $(VENV)/.stamp-run
	$(BIN)/interviewer ingest

run: $(VENV)/.stamp-run ingest
	$(BIN)/interviewer serve

# Debian's Chromium for the browser tests (@pytest.mark.browser); `playwright install` cannot download offline.
browser:
	@command -v chromium >/dev/null 2>&1 || (apt-get update && apt-get install -y chromium chromium-driver)

# Debian's PostgreSQL server for the session store's contract tests (tests/pg_server.py starts a
# throw-away cluster with it). If the install fails those tests are skipped with the reason.
postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || (apt-get update && apt-get install -y postgresql) || \
		echo "PostgreSQL could not be installed; the PostgreSQL store tests will be skipped"

# The optional real-model server for the reliability test: llama-cpp-python compiles llama.cpp
# (a few minutes, once). Built portable: a native build picked CPU features (AMX) that the VM
# advertises but does not allow, and the server died with SIGILL. Where it cannot be installed, the reason goes to a marker file and
# that one test is skipped with it; nothing else depends on it.
$(VENV)/.stamp-llamacpp: $(VENV)/.stamp-dev
	@echo "installing the optional llama.cpp server (compiles the first time, a few minutes)..."
	@if CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(BIN)/pip install -q --no-cache-dir -e '.[llamacpp]' > $(VENV)/llamacpp-install.log 2>&1; then \
		rm -f $(VENV)/.llamacpp-unavailable; \
	else \
		echo "pip install '.[llamacpp]' failed: $$(tail -n 3 $(VENV)/llamacpp-install.log | tr '\n' ' ')" > $(VENV)/.llamacpp-unavailable; \
		echo "llama-cpp-python could not be installed; its test will be skipped (see $(VENV)/llamacpp-install.log)"; \
	fi
	@touch $@

test: $(VENV)/.stamp-dev $(VENV)/.stamp-llamacpp browser postgres
	$(BIN)/python -m pytest -q

bench: $(VENV)/.stamp-dev
	$(BIN)/python scripts/bench.py

bench-app: $(VENV)/.stamp-dev
	$(BIN)/python scripts/bench_app.py

# Real `interviewer serve` replicas, `chroma run` and a throw-away PostgreSQL cluster, all on this
# machine (~15 min on 2 cores). Exits 1 if any interview had an error or a lost, duplicated or foreign turn.
bench-scale: $(VENV)/.stamp-dev postgres
	$(BIN)/python scripts/bench_replicas.py

eval: $(VENV)/.stamp-dev
	$(BIN)/python -m evals.run_all

clean:
	rm -rf $(VENV) data evals/out
