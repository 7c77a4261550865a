# citebot: `make run` starts the terminal bot, `make test` runs every check. Both install what they need.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
SHARED ?= $(or $(CITEBOT_SHARED_DIR),../shared)

.PHONY: install run test lint eval bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,discord,slack]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/citebot chat

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
