"""The web app in a real browser (Debian's chromium, driven by Playwright): a reader opens the
story list, searches, opens the bundled story, checks a summary citation against its
sentence, opens a conflict, adds an article and sees where it went; hostile article text runs
nothing. Screenshots of the main pages go to artifacts/screenshots/ (README: "Web app").
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import httpx
from conftest import Live, Tab, open_tab
from playwright.sync_api import expect

HIGHLIGHT = "rgb(255, 240, 160)"  # --hl in storyline.css


def no_harm(tab: Tab) -> None:
    """Nothing ran: no dialog opened, the only script is the app's own file, and no page asked
    the browser to block anything (the pages themselves need no inline script or style)."""
    assert tab.dialogs == []
    scripts = tab.page.evaluate("Array.from(document.scripts).map(s => s.src || s.textContent.slice(0, 80))")
    assert all(re.search(r"/static/app\.js$", s) for s in scripts), scripts
    assert tab.page.evaluate(
        "document.querySelectorAll('[onerror],[onload],[onclick],[onmouseover],iframe,object,embed').length") == 0
    assert tab.page.evaluate(
        "Array.from(document.querySelectorAll('a[href]')).filter(a => !/^(https?:|\\/|#)/i.test(a.getAttribute('href'))).length"
    ) == 0
    assert tab.csp_violations() == []


def test_story_list_and_search(live: Live, tab: Tab) -> None:
    page = tab.page
    page.goto(live.url + "/")
    expect(page.locator(f'a.title[href="/stories/{live.story}"]')).to_be_visible()
    tab.shot("01-stories")
    page.fill("#q", "cosmodrome")
    page.press("#q", "Enter")
    expect(page).to_have_url(re.compile(r"\?q=cosmodrome"))
    expect(page.locator(".story-list mark").first).to_have_text(re.compile("cosmodrome", re.I))
    expect(page.locator(f'a.title[href="/stories/{live.story}"]')).to_be_visible()
    tab.shot("02-search")
    page.fill("#q", "zzzqqxx")
    page.press("#q", "Enter")
    expect(page.get_by_text("No story matches")).to_be_visible()
    no_harm(tab)


def test_a_summary_citation_shows_the_cited_sentence_highlighted(live: Live, tab: Tab) -> None:
    page = tab.page
    page.goto(live.url + "/")
    page.click(f'a.title[href="/stories/{live.story}"]')
    expect(page.locator("#h-summary")).to_be_visible()
    tab.shot("03-story")
    cite = page.locator("#summary a.cite").first
    article, n = cite.get_attribute("data-article"), int(cite.get_attribute("data-sentence") or -1)
    expected = httpx.get(f"{live.url}/api/articles/{article}", timeout=10).json()["sentences"][n]
    assert cite.inner_text().endswith(f"§{n + 1}]")  # people count sentences from 1
    cite.click()
    panel = page.locator("#cite-panel")
    expect(panel).to_be_visible()
    cited = panel.locator(".cited")
    expect(cited).to_have_text(expected)
    assert cited.evaluate("e => getComputedStyle(e).backgroundColor") == HIGHLIGHT
    assert panel.locator(".context li").count() >= 2  # shown in context, not alone
    tab.shot("04-citation")
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    # the link itself: the article page, the sentence highlighted and scrolled to
    page.goto(live.url + (cite.get_attribute("href") or ""))
    target = page.locator(f"#s{n}")
    expect(target).to_have_class(re.compile(r"\bcited\b"))
    expect(target).to_have_text(expected)
    expect(target).to_be_in_viewport()
    assert target.evaluate("e => getComputedStyle(e).backgroundColor") == HIGHLIGHT
    tab.shot("05-article")
    no_harm(tab)


def test_reading_works_without_javascript(live: Live, browser: object) -> None:
    tab = open_tab(browser, javascript=False)
    page = tab.page
    try:
        page.goto(f"{live.url}/stories/{live.story}")
        cite = page.locator("#summary a.cite").first
        n = int(cite.get_attribute("data-sentence") or -1)
        cite.click()
        expect(page).to_have_url(re.compile(rf"/articles/[^?]+\?s={n}#s{n}$"))
        expect(page.locator(f"#s{n}")).to_have_class(re.compile(r"\bcited\b"))
        page.goto(f"{live.url}/stories/{live.story}")
        conflict = page.locator("details.conflict").first
        conflict.locator("summary").click()  # <details> opens without script
        expect(conflict.locator(".side").first).to_be_visible()
        assert tab.csp_violations() == []
    finally:
        page.context.close()


def test_keyboard_reaches_the_content_and_the_citations(live: Live, tab: Tab) -> None:
    page = tab.page
    page.goto(f"{live.url}/stories/{live.story}")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("#main$"))
    landmarks = page.evaluate("['header', 'nav', 'main', 'footer'].map(t => document.querySelectorAll(t).length)")
    assert all(landmarks)
    cite = page.locator("#summary a.cite").first
    cite.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#cite-panel")).to_be_focused()
    page.keyboard.press("Escape")
    assert page.evaluate("document.activeElement.classList.contains('cite')")


def test_open_a_conflict(live: Live, tab: Tab) -> None:
    page = tab.page
    page.goto(f"{live.url}/stories/{live.story}#conflicts")
    conflict = page.locator("details.conflict").first
    sides = conflict.locator(".side")
    expect(sides.first).to_be_hidden()
    conflict.locator("summary").click()
    expect(sides.first).to_be_visible()
    assert sides.count() >= 2
    for i in range(sides.count()):
        side = sides.nth(i)
        assert re.search(r"§\d+", side.locator(".who").inner_text())  # the outlet and sentence
        assert side.inner_text().count("“") >= 1  # the quote itself
    first, second = sides.nth(0).bounding_box(), sides.nth(1).bounding_box()
    assert first and second and abs(first["y"] - second["y"]) < 2  # side by side
    conflict.scroll_into_view_if_needed()
    tab.shot("06-conflict")
    no_harm(tab)


PASTED_TITLE = "Kim Jong Un visits Russian fighter jet plant after Vostochny summit with Putin"
PASTED_TEXT = (
    "North Korean leader Kim Jong Un visited an aircraft plant in the Russian city of Komsomolsk-on-Amur on "
    "Friday, two days after his summit with Russian President Vladimir Putin at the Vostochny Cosmodrome, "
    "Russian state media reported.\n"
    "Kim was shown the Su-35 and Su-57 fighter jets, the Kremlin said, as Western officials warned that "
    "Moscow and Pyongyang were discussing an arms deal in which North Korea would supply artillery shells.\n"
    "Putin and Kim held talks at the Vostochny Cosmodrome on Wednesday, where the two leaders discussed "
    "military cooperation, the war in Ukraine and satellites. Both countries deny any arms negotiations."
)


def test_add_a_pasted_article_and_see_it_land_in_a_story(live: Live, tab: Tab) -> None:
    page = tab.page
    page.goto(live.url + "/add")
    tab.shot("07-add")
    page.fill("#title", PASTED_TITLE)
    page.fill("#outlet", "Browser Test Wire")
    page.fill("#published", "2023-09-15")
    page.fill("#text", PASTED_TEXT)
    page.click("form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/jobs/j[0-9a-f]+$"))
    expect(page.locator(".state")).to_have_text("done", timeout=120_000)  # polled, then reloaded
    went = page.locator(".job-added li")
    expect(went).to_have_count(1)
    expect(went).to_contain_text(PASTED_TITLE)
    expect(went).to_contain_text(f"joined story {live.story}")  # the bundled story, not a new one
    tab.shot("08-job-done")
    went.locator(f'a[href="/stories/{live.story}"]').click()
    expect(page.locator("#sources")).to_contain_text(PASTED_TITLE)
    expect(page.locator("#sources")).to_contain_text("Browser Test Wire")
    no_harm(tab)


HOSTILE_TITLE = "<script>alert('title')</script><img src=x onerror=alert('img')> \"quoted\" & 'single'"
HOSTILE_TEXT = (
    "Officials said on Tuesday that the summit between the two delegations would continue next week in "
    "the capital. <script>alert('body')</script> The talks covered trade, energy and security, "
    "according to a statement from the ministry.\n"
    "<img src=x onerror=alert('body-img')> Analysts said the meeting mattered to both governments and "
    "that a final agreement was expected by the end of the month. Click "
    "<a href=\"javascript:alert('link')\">here</a> or [here](javascript:alert('md')) for more.\n"
    "Reporters were told \"the negotiators\" would meet again in the capital on Friday, and that "
    "the ministers' staff would prepare a draft text before then."
)


def test_hostile_article_is_stored_shown_and_briefed_with_nothing_executed(
        live: Live, tab: Tab, tmp_path: Path) -> None:
    page = tab.page
    record = {"title": "Record with a javascript: link \"><svg onload=alert('svg')>",
              "url": "javascript:alert('url')", "source": "<b onmouseover=alert('outlet')>Outlet</b>",
              "published": "2023-09-20", "text": HOSTILE_TEXT.replace("Officials", "Diplomats")}
    page.goto(live.url + "/add")
    page.fill("#title", HOSTILE_TITLE)
    page.fill("#outlet", "Evil <i>Outlet</i>")
    page.fill("#text", HOSTILE_TEXT)
    page.set_input_files("#files", files=[{"name": "hostile.jsonl", "mimeType": "application/x-ndjson",
                                           "buffer": json.dumps(record).encode()}])
    page.click("form button[type=submit]")
    expect(page.locator(".state")).to_have_text("done", timeout=120_000)
    no_harm(tab)
    job = httpx.get(f"{live.url}/api/jobs/{page.url.rsplit('/', 1)[-1]}", timeout=10).json()
    added = job["result"]["added"]
    assert any(a["title"] == HOSTILE_TITLE for a in added)
    stories = {a["story"] for a in added}
    for a in added:
        page.goto(f"{live.url}/articles/{a['article']}")
        expect(page.locator("h1")).to_have_text(a["title"])  # shown as text, exactly
        expect(page.locator("ol.sentences")).to_contain_text("<script>alert('body')</script>")
        no_harm(tab)
    url_record = next(a for a in added if a["title"] == record["title"])
    stored = httpx.get(f"{live.url}/api/articles/{url_record['article']}", timeout=10).json()
    if stored["url"]:  # kept as data, never as a link
        page.goto(f"{live.url}/articles/{url_record['article']}")
        expect(page.get_by_text("(not a web link)")).to_be_visible()
    for sid in stories:
        page.goto(f"{live.url}/stories/{sid}")
        expect(page.locator("#h-summary")).to_be_visible()
        page.locator("details").evaluate_all("ds => ds.forEach(d => d.open = true)")
        no_harm(tab)
    tab.shot("09-hostile-story", full_page=True)
    page.goto(f"{live.url}/?q=alert")
    no_harm(tab)
    # the self-contained report of the same story, opened as a file
    report = tmp_path / "report.html"
    report.write_bytes(httpx.get(f"{live.url}/stories/{sorted(stories)[0]}/report.html", timeout=30).content)
    page.goto(report.as_uri())
    page.locator("details").evaluate_all("ds => ds.forEach(d => d.open = true)")
    assert tab.dialogs == []
    assert page.evaluate("document.scripts.length") == 1  # the report's own, allowed by its hash
    assert page.evaluate("document.querySelectorAll('[onerror],[onload],[onmouseover]').length") == 0
    assert page.evaluate("Array.from(document.querySelectorAll('a[href]'))"
                         ".filter(a => /^javascript:/i.test(a.getAttribute('href').trim())).length") == 0
    assert tab.csp_violations() == []


def test_refused_upload_says_why(live: Live, tab: Tab) -> None:
    page = tab.page
    page.goto(live.url + "/add")
    page.set_input_files("#files", files=[{"name": "deck.pdf", "mimeType": "application/pdf",
                                           "buffer": b"%PDF-1.7 not an article"}])
    page.click("form button[type=submit]")
    expect(page.locator("#add-error")).to_contain_text("'deck.pdf': refused: not a kind of file storyline reads")
    tab.shot("10-refused")
    no_harm(tab)


def _luminance(rgb: str) -> float:
    r, g, b = (int(x) / 255 for x in re.findall(r"\d+", rgb)[:3])
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def test_text_has_readable_contrast(live: Live, tab: Tab) -> None:
    """WCAG AA: every kind of text on the story page has at least 4.5:1 against its background."""
    page = tab.page
    page.goto(f"{live.url}/stories/{live.story}")
    page.locator("details").evaluate_all("ds => ds.forEach(d => d.open = true)")
    pairs = page.evaluate("""() => {
      const bg = e => { for (; e; e = e.parentElement) { const c = getComputedStyle(e).backgroundColor;
        if (c && c !== 'rgba(0, 0, 0, 0)' && c !== 'transparent') return c; } return 'rgb(255, 255, 255)'; };
      const sel = ['p', '.sub', '.cite', '.absent', '.copy', '.hedge', '.more', '.count', '.date', '.tag',
                   '.status-contested', '.status-corroborated', 'th', 'td', 'summary', '.meta', 'footer p',
                   '.site-head a', 'figcaption', 'label'];
      return sel.flatMap(s => Array.from(document.querySelectorAll(s)).slice(0, 3)
        .map(e => [s, getComputedStyle(e).color, bg(e)]));
    }""")
    assert len(pairs) > 30
    for selector, fg, bg in pairs:
        hi, lo = sorted((_luminance(fg), _luminance(bg)), reverse=True)
        ratio = (hi + 0.05) / (lo + 0.05)
        assert ratio >= 4.5, f"{selector}: {fg} on {bg} is {ratio:.2f}:1"
