# citebot: `make run` starts the terminal bot, `make test` runs every check. Both install what they need.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
SHARED ?= $(or $(CITEBOT_SHARED_DIR),../shared)

.PHONY: install run test lint eval bench clean

# Progress lines instead of the commands: the first install is half a minute of pip saying nothing.
INSTALLING = $(if $(wildcard $(STAMP)),pyproject.toml changed: updating the dependencies…,$\
             installing dependencies (first time only, about 30 s)…)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || { echo "citebot: creating the virtual environment in $(VENV)…" && $(PYTHON) -m venv $(VENV); }
	@echo "citebot: $(INSTALLING)"
	@$(BIN)/python -m pip install --quiet --upgrade pip
	@$(BIN)/python -m pip install --quiet -e '.[dev,discord,slack]'
	@touch $(STAMP)
	@echo "citebot: installed"

install: $(STAMP)

run: install
	@echo "citebot: starting the chat…"
	@$(BIN)/citebot chat

lint: install
	$(BIN)/ruff check bot tests bench

test: lint
	$(BIN)/pytest -q

# make eval [QUESTIONS=dev-natural] [SHARED=DIR]: a question set of the shared folder, scored
QUESTIONS ?= dev
eval: install
	$(BIN)/python bench/eval.py $(QUESTIONS) --shared $(SHARED)

bench: install
	$(BIN)/python bench/answer.py

clean:
	rm -rf $(VENV) data .pytest_cache .ruff_cache
