"""The pages (app/api/pages.py): /what-runs-here, its headers, its language and its facts."""

from __future__ import annotations

import collections
import json
import re
import subprocess
import sys

import pytest
from fastapi.testclient import TestClient

from app.api.pages import CATALOGUE, code_spans
from app.hints import sandbox
from app.hints import what_runs_here as words
from app.hints.hint import Hint

PAGE = "/what-runs-here"


def test_what_runs_here_answers_with_the_pages_headers(client: TestClient) -> None:
    response = client.get(PAGE)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    playground = client.get("/").headers["content-security-policy"]
    # The playground's policy: its own scripts and styles only, framed only by itself.
    assert response.headers["content-security-policy"] == playground
    assert "script-src 'self'" in playground and "frame-ancestors 'self'" in playground
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert "accept-language" in response.headers["vary"].lower()
    assert '<script type="module" src="/static/js/what-runs-here.js?v=' in response.text
    assert " style=" not in response.text


@pytest.mark.parametrize(
    ("query", "accept", "html_lang"),
    [
        ("", "en-US,en;q=0.9", "en"),
        ("", "zh-CN,zh;q=0.9", "zh-CN"),
        ("", "en-GB,zh-TW;q=0.5", "zh-CN"),  # as i18n.js: any Chinese in the browser's list
        ("?lang=zh", "en-US", "zh-CN"),
        ("?lang=en", "zh-CN", "en"),
        ("?lang=fr", "en-US", "en"),
    ],
)
def test_what_runs_here_opens_in_the_language_asked(
    client: TestClient, query: str, accept: str, html_lang: str
) -> None:
    text = client.get(PAGE + query, headers={"accept-language": accept}).text
    assert f'<html lang="{html_lang}">' in text
    lang = "zh" if html_lang == "zh-CN" else "en"
    assert f"<title>{words.TITLE[lang]} · autograd-viz</title>" in text


def test_what_runs_here_shows_the_committed_facts(client: TestClient) -> None:
    text = client.get(PAGE).text
    facts = json.loads(CATALOGUE.read_text(encoding="utf-8"))
    torch_names = re.search(r'<ul class="name-list" aria-label="torch">(.*?)</ul>', text, re.DOTALL)
    assert torch_names is not None and "<li><code>normal</code></li>" in torch_names.group(1)
    files = re.search(rf'<div id="{sandbox.FILES.key}".*?</div>\s*</div>', text, re.DOTALL)
    assert files is not None and "<code>numpy.load</code>" in files.group(0)
    assert "Files cannot be opened or saved here" in files.group(0)
    for row in facts["limits"]:
        assert f"{row['value']:,}" in text


def test_what_runs_here_has_an_anchor_for_each_hint_it_answers(client: TestClient) -> None:
    ids = re.findall(r' id="([^"]+)"', client.get(PAGE).text)
    assert not [name for name, count in collections.Counter(ids).items() if count > 1]
    parts = [*words.ABOUT, *words.SECTIONS.values()]
    answered = {key for part in parts for key in part.get("hints", [])}
    refused = {group["key"] for group in json.loads(CATALOGUE.read_text("utf-8"))["refused"]}
    assert answered | refused <= set(ids)
    # Where a refusal's link lands: at its part of the page, for every sandbox hint but the
    # typo's (no link), the clock's (a note, never a refusal) and the construct's (the
    # statements a program may use are not in the allowlist's records: the page's top).
    hints = {value.key for value in vars(sandbox).values() if isinstance(value, Hint)}
    assert hints - set(ids) <= {sandbox.SYNTAX.key, sandbox.CLOCK.key, sandbox.CONSTRUCT.key}


def test_code_spans_escape_text_and_code() -> None:
    assert code_spans("use `x<y>` & `a`") == "use <code>x&lt;y&gt;</code> &amp; <code>a</code>"
    assert code_spans("a lone ` stays") == "a lone ` stays"


def test_the_server_renders_what_runs_here_without_torch() -> None:
    script = (
        "import sys\n"
        "from fastapi.testclient import TestClient\n"
        "from app.main import create_app\n"
        "response = TestClient(create_app()).get('/what-runs-here')\n"
        "assert response.status_code == 200, response.status_code\n"
        "print(sorted({'torch', 'numpy'} & set(sys.modules)))\n"
    )
    run = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", script],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"
