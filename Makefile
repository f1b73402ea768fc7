# Routine commands. Each target goes through scripts/, which install what is missing.

.PHONY: setup run test lint bench screenshots catalogue

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
	node_modules/.bin/eslint .

# Start the real server, measure it, stop it, and rewrite docs/benchmarks.md: the benchmark
# (bench/run.py, about 5 minutes), the load and fault test (bench/load.py, about 80 s), then
# the server-side load test (bench/server_load.py, about 90 s). ARGS=--quick for short runs.
bench: setup
	@.venv/bin/python -c "import torchviz" 2>/dev/null || \
		.venv/bin/python -m pip install --quiet -c constraints.txt -e '.[bench]'
	.venv/bin/python -m bench.run $(ARGS)
	.venv/bin/python -m bench.load $(ARGS)
	.venv/bin/python -m bench.server_load $(ARGS)

# Rewrite docs/img/*.png (the user guide's pictures) from the browser tests.
screenshots: setup
	AGV_UPDATE_SCREENSHOTS=1 .venv/bin/python -m pytest tests/browser/test_docs_screenshots.py -q

# Rewrite the "What runs here" page's data and docs/what-runs-here.md from the allowlist's records
# (tests/unit/test_catalogue.py fails until they are rewritten after the allowlist changes).
catalogue: setup
	.venv/bin/python -m app.language.catalogue
	.venv/bin/python -m app.language.catalogue --markdown
