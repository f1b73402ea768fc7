"""Exercise mode (exercise.js, exercise-plan.js): the gradients hidden, the learner predicting
each one step by step, told right or wrong in English and Chinese, in the playground and in an
embed on another origin, with no prediction ever leaving the page."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import pytest
import torch
from playwright.sync_api import BrowserContext, FrameLocator, Page, Request, expect

from tests.browser.conftest import new_context
from tests.browser.playground import Playground, share_link

pytestmark = pytest.mark.browser

CHAIN = "x = torch.tensor(2.0, requires_grad=True)\ny = x ** 2 + 3\nz = y ** 2\nz.backward()\n"
SUM = "x = torch.arange(4.0, requires_grad=True)\ny = x.sum()\ny.backward()\n"


def chain_gradients() -> dict[str, float]:
    """What plain PyTorch computes for CHAIN: dz/dy, dz/dx (what each step sends back)."""
    x = torch.tensor(2.0, requires_grad=True)
    y = x**2 + 3
    z = y**2
    dz_dy, dz_dx = torch.autograd.grad(z, (y, x))
    return {"y": float(dz_dy), "x": float(dz_dx)}


def answer(scope: Page | FrameLocator, label: str, text: str, check: str = "Check") -> None:
    scope.get_by_role("textbox", name=label, exact=True).fill(text)
    scope.get_by_role("button", name=check).click()


def test_exercise_in_the_playground_hides_gradients_and_checks_predictions(
    page: Page, server: str
) -> None:
    grads = chain_gradients()
    app = Playground(page, server).open()
    app.type_program(CHAIN + "print(x.grad)\n")
    app.run()
    stdout = page.get_by_test_id("stdout")
    expect(stdout).to_have_text(f"tensor({grads['x']:g}.)")
    switch = page.get_by_role("switch", name="Exercise mode")
    expect(switch).not_to_be_checked()
    switch.check()
    feedback = page.get_by_test_id("exercise-feedback")
    expect(feedback).to_have_attribute("role", "status")
    prompt = page.get_by_test_id("exercise-prompt")
    expect(prompt).to_contain_text("The gradients are hidden")
    # What the program prints, and the inspector, keep the hidden values hidden too.
    expect(stdout).to_be_hidden()
    expect(page.get_by_test_id("exercise-output-note")).to_be_visible()
    app.node("x scalar, leaf tensor").click()
    expect(app.inspector).to_contain_text("requires_grad")
    expect(app.inspector).not_to_contain_text(f"{grads['x']:g}")

    page.get_by_role("button", name="Start").click()
    expect(app.step_count).to_have_text("step 1 / 4")
    # The gradient this step sends is not on screen: no number on its edge, no caption yet.
    expect(app.caption).to_be_hidden()
    expect(app.svg.locator('.grad-label[data-edge="e2"] text')).to_have_text("∂ ?")
    expect(prompt).to_contain_text("Step 1 of 4: PowBackward0 (line 3) runs.")
    to_y = "Gradient PowBackward0 (line 3) sends to y"
    expect(page.get_by_role("textbox", name=to_y)).to_be_focused()
    # Not a number: told so, nothing revealed.
    answer(page, to_y, "fourteen")
    expect(feedback).to_contain_text("type a number")
    expect(app.caption).to_be_hidden()
    answer(page, to_y, "15")
    expect(feedback).to_contain_text(
        f"Not right: you wrote 15, but {to_y} is tensor({grads['y']:g}.)"
    )
    # Answered: the step's explanation (the stepper's caption) and the value are back.
    expect(app.caption).to_be_visible()
    expect(app.caption).to_contain_text(f"{grads['y']:g}")
    expect(app.svg.locator('.grad-label[data-edge="e2"] text')).to_have_text(f"∂ {grads['y']:g}.")

    next_step = page.get_by_role("button", name="Next step")
    expect(next_step).to_be_focused()
    next_step.click()
    answer(page, "Gradient AddBackward0 (line 2) sends to PowBackward0 (line 2)", f"{grads['y']:g}")
    expect(feedback).to_contain_text("Right:")
    next_step.click()
    # Within 1 %: right.
    answer(page, "Gradient PowBackward0 (line 2) sends to x", f"{grads['x'] * 1.005}")
    expect(feedback).to_contain_text("Right:")
    next_step.click()
    # x's card beside its node: its value, then its .grad, hidden until predicted
    card = app.svg.locator('.value-card[data-node="n4"] text')
    expect(card.nth(1)).to_have_text(".grad ?")
    page.get_by_role("button", name="Show the answer").click()
    expect(feedback).to_contain_text(f"x.grad after this step is tensor({grads['x']:g}.)")
    expect(card.nth(1)).to_have_text(f".grad {grads['x']:g}.")
    expect(page.get_by_test_id("exercise-score")).to_have_text("All predicted: 2 of 4 right.")
    expect(next_step).to_be_hidden()
    expect(stdout).to_have_text(f"tensor({grads['x']:g}.)")
    expect(app.inspector).to_contain_text(f"tensor({grads['x']:g}.)")

    # Off again: every gradient is shown as before.
    switch.uncheck()
    expect(app.caption).to_be_visible()
    expect(page.get_by_test_id("exercise-form")).to_be_hidden()


def test_exercise_asks_a_list_for_a_small_tensor(page: Page, server: str) -> None:
    x = torch.arange(4.0, requires_grad=True)
    (grad,) = torch.autograd.grad(x.sum(), (x,))
    expected = grad.tolist()
    app = Playground(page, server).open()
    app.type_program(SUM)
    app.run()
    page.get_by_role("switch", name="Exercise mode").check()
    page.get_by_role("button", name="Start").click()
    label = "Gradient SumBackward0 (line 2) sends to x (shape [4])"
    answer(page, label, "1 1 1")
    expect(page.get_by_test_id("exercise-feedback")).to_contain_text("a list of 4 numbers")
    answer(page, label, json.dumps(expected))
    expect(page.get_by_test_id("exercise-feedback")).to_contain_text("Right:")


def test_exercise_in_chinese_accepts_full_width_digits(browser: Any, server: str) -> None:
    grads = chain_gradients()
    context = new_context(browser, locale="zh-CN")
    try:
        page = context.new_page()
        app = Playground(page, server).open()
        page.get_by_role("textbox", name="程序").fill(CHAIN)
        before = app.runs()
        page.get_by_role("button", name="运行").click()
        app.wait_for_run(before)
        page.get_by_role("switch", name="练习模式").check()
        page.get_by_role("button", name="开始").click()
        expect(page.get_by_test_id("exercise-prompt")).to_contain_text(
            "第 1 / 4 步：运行 PowBackward0（第 3 行）。"
        )
        full_width = str(int(grads["y"])).translate({ord(d): ord(d) + 0xFEE0 for d in "0123456789"})
        answer(page, "PowBackward0（第 3 行）传给 y 的梯度", full_width, check="检查")
        expect(page.get_by_test_id("exercise-feedback")).to_contain_text("正确：")
        page.get_by_role("button", name="下一步").click()
        answer(page, "AddBackward0（第 2 行）传给 PowBackward0（第 2 行）的梯度", "1", check="检查")
        expect(page.get_by_test_id("exercise-feedback")).to_contain_text("不对：你写的是 1")
        expect(page.get_by_test_id("exercise-score")).to_have_text(
            "已答 2 题，答对 1 题（共 4 题）。"
        )
    finally:
        context.close()


def _carries(request: Request, secrets: list[str]) -> list[str]:
    text = " ".join([request.url, request.post_data or "", json.dumps(request.headers)])
    return [secret for secret in secrets if secret in text]


@pytest.mark.parametrize(
    ("page_lang", "check", "next_label", "right", "label_to_y", "label_to_x"),
    [
        (
            "en",
            "Check",
            "Next step",
            "Right:",
            "Gradient PowBackward0 (line 3) sends to y",
            "Gradient PowBackward0 (line 2) sends to x",
        ),
        (
            "zh-CN",
            "检查",
            "下一步",
            "正确：",
            "PowBackward0（第 3 行）传给 y 的梯度",
            "PowBackward0（第 2 行）传给 x 的梯度",
        ),
    ],
    ids=["en", "zh"],
)
def test_exercise_embed_on_another_origin_keeps_answers_in_the_browser(
    context: BrowserContext,
    server: str,
    course_site: tuple[str, Path],
    page_lang: str,
    check: str,
    next_label: str,
    right: str,
    label_to_y: str,
    label_to_x: str,
) -> None:
    grads = chain_gradients()
    site, root = course_site
    (root / f"exercise-{page_lang}.html").write_text(
        f"""<!doctype html><html lang="{page_lang}"><head><meta charset="utf-8"><title>Lesson</title></head>
<body><h1>Backpropagation</h1>
<pre data-autograd data-exercise>
{html.escape(CHAIN)}</pre>
<script src="{server}/static/embed.js"></script></body></html>""",
        encoding="utf-8",
    )
    page = context.new_page()
    requests: list[Request] = []
    context.on("request", lambda request: requests.append(request))
    page.goto(f"{site}/exercise-{page_lang}.html")
    frame = page.frame_locator("iframe[data-autograd-frame]")
    expect(frame.get_by_test_id("graph-svg").locator("g.node")).to_have_count(6)
    # The embed has the teacher's choice: no switch, and nothing stray in the panel.
    expect(frame.get_by_role("switch")).to_have_count(0)
    expect(frame.get_by_test_id("exercise")).not_to_contain_text("null")
    secrets = [f"{grads['y']:.6f}", f"{grads['x'] * 1.004:.6f}", "98765.4321"]
    frame.get_by_test_id("exercise-next").click()
    answer(frame, label_to_y, secrets[0], check=check)
    expect(frame.get_by_test_id("exercise-feedback")).to_contain_text(right)
    frame.get_by_role("button", name=next_label).click()
    answer(frame, frame_label_add(page_lang), secrets[2], check=check)
    expect(frame.get_by_test_id("exercise-result")).not_to_contain_text(right)
    frame.get_by_role("button", name=next_label).click()
    answer(frame, label_to_x, secrets[1], check=check)
    expect(frame.get_by_test_id("exercise-feedback")).to_contain_text(right)
    expect(frame.get_by_test_id("stepper-caption")).to_be_visible()
    assert requests, "the page made no request at all"
    assert all(not _carries(request, secrets) for request in requests), [
        (request.url, _carries(request, secrets))
        for request in requests
        if _carries(request, secrets)
    ]


def frame_label_add(page_lang: str) -> str:
    if page_lang == "en":
        return "Gradient AddBackward0 (line 2) sends to PowBackward0 (line 2)"
    return "AddBackward0（第 2 行）传给 PowBackward0（第 2 行）的梯度"


def test_exercise_choice_by_name_hides_only_that_tensor(
    context: BrowserContext, server: str
) -> None:
    grads = chain_gradients()
    app = Playground(context.new_page(), server).open()
    app.type_program(CHAIN)
    app.run()
    fragment = share_link(app.page).split("#", 1)[
        1
    ]  # once the address carries the program that ran
    embed = Playground(context.new_page(), server)
    embed.page.goto(f"{server}/embed#{fragment}&exercise=x")
    embed.wait_for_run(0)
    embed.page.get_by_role("button", name="Start").click()
    # Step 1 sends dz/dy to y: not chosen, so shown at once, with the step's explanation.
    expect(embed.page.get_by_test_id("exercise-prompt")).to_contain_text(
        "Nothing to predict at this step."
    )
    expect(embed.caption).to_be_visible()
    expect(embed.svg.locator('.grad-label[data-edge="e2"] text')).to_have_text(f"∂ {grads['y']:g}.")
    embed.page.get_by_role("button", name="Next step").click()
    embed.page.get_by_role("button", name="Next step").click()
    expect(embed.caption).to_be_hidden()
    expect(
        embed.page.get_by_role("textbox", name="Gradient PowBackward0 (line 2) sends to x")
    ).to_be_visible()
    expect(embed.page.get_by_test_id("exercise-score")).to_have_text(
        re.compile(r"\(2 to predict\)")
    )


def test_exercise_switch_travels_in_the_share_link_and_snippets(
    context: BrowserContext, server: str
) -> None:
    app = Playground(context.new_page(), server).open()
    app.page.get_by_role("switch", name="Exercise mode").check()
    link = share_link(app.page)
    assert "&exercise=all" in link, link
    expect(app.page.get_by_test_id("share-script")).to_have_value(
        re.compile(r"<pre data-autograd data-exercise>")
    )
    expect(app.page.get_by_test_id("share-iframe")).to_have_value(re.compile(r"&amp;exercise=all"))
    other = Playground(context.new_page(), server)
    other.page.goto(link)
    other.wait_for_run(0)
    expect(other.page.get_by_role("switch", name="Exercise mode")).to_be_checked()
    expect(other.page.get_by_role("button", name="Start")).to_be_visible()
    expect(other.page.get_by_test_id("exercise-score")).to_have_text(
        re.compile(r"\(4 to predict\)")
    )

    # The teacher narrows the choice to x: the link and the snippets say so.
    choice = other.page.get_by_role("textbox", name="Gradients to hide")
    expect(choice).to_have_value("all")
    choice.fill("x")
    choice.press("Enter")
    expect(other.page.get_by_test_id("exercise-score")).to_have_text(
        re.compile(r"\(2 to predict\)")
    )
    narrowed = share_link(other.page)
    assert narrowed.endswith("&exercise=x"), narrowed
    expect(other.page.get_by_test_id("share-script")).to_have_value(
        re.compile(r'<pre data-autograd data-exercise="x">')
    )


# What a learner may type, and the numbers it means (None: not a prediction).
TYPED = [
    ("56", [56.0]),
    ("56.", [56.0]),
    (" -0.5 ", [-0.5]),
    ("1/2", [0.5]),
    ("5.6e1", [56.0]),
    ("[1, 2]", [1.0, 2.0]),
    ("[[1, 2], [3, 4]]", [1.0, 2.0, 3.0, 4.0]),
    ("1 2 3", [1.0, 2.0, 3.0]),
    ("tensor([1., 2.])", [1.0, 2.0]),
    ("［１，２］", [1.0, 2.0]),
    ("－０．５", [-0.5]),
    ("", None),
    ("fourteen", None),
    ("1/0", None),
    ("2 ** 3", None),
    (" ".join(["1"] * 17), None),
]


def test_predictions_are_read_as_numbers(page: Page, server: str) -> None:
    page.goto(f"{server}/static/favicon.svg")
    got = page.evaluate(
        """async (texts) => {
          const { parseAnswer } = await import("/static/js/exercise-plan.js");
          return texts.map((text) => parseAnswer(text));
        }""",
        [text for text, _ in TYPED],
    )
    assert got == [numbers for _, numbers in TYPED]


def test_a_prediction_is_right_within_one_percent(page: Page, server: str) -> None:
    expected = float(torch.tensor(0.7).tanh().pow(2).neg().add(1))  # d tanh(x)/dx at 0.7
    cases = [
        ([round(expected, 2)], [expected], True),
        ([expected * 1.009], [expected], True),
        ([expected * 1.02], [expected], False),
        ([0.0], [0.0004], True),
        ([1.0, 2.0], [1.0, 2.0], True),
        ([1.0], [1.0, 2.0], False),
        ([float("nan")], [float("nan")], True),
    ]
    page.goto(f"{server}/static/favicon.svg")
    got = page.evaluate(
        """async (cases) => {
          const { isClose } = await import("/static/js/exercise-plan.js");
          return cases.map(([numbers, expected]) => isClose(numbers.map(Number), expected.map(Number)));
        }""",
        [[[repr(n) for n in a], [repr(n) for n in e]] for a, e, _ in cases],
    )
    assert got == [right for _, _, right in cases]
