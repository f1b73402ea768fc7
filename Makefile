# Routine commands. Each target goes through scripts/, which install what is missing.

.PHONY: setup run test lint

setup:
	bash scripts/setup.sh --test

run:
	bash scripts/serve.sh

# Pass pytest arguments with ARGS, e.g. make test ARGS="-m \"not browser\" -x"
test:
	bash scripts/test.sh $(ARGS)

lint: setup
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/mypy app
