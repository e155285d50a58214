"""The lesson site: the syllabus extraction, and the exported pages in a real browser.

The browser tests export lesson 1 plus a small probe lesson (made here) with the real
`nbexec.export`, twice, at the same time: the public site as `make lessons` builds it (lesson
1's student version from lessons/exercises/) and the instructor site as `make instructor-site`
does (lesson 1 from notebooks/, with its solutions). They open the pages in headless Chromium
(Debian's `chromium` package, driven by Playwright with that executable: no browser download)
and check, on both sites, that MathJax typeset the math, every image decoded, nothing failed
to load, nothing was logged as an error, and the previous/next/index links lead to files that
exist; and that the public page of lesson 1 shows the stubs and the checks' ✘ lines but no
line of any solution, while the instructor page shows every solution and the checks' ✔ lines.
Full-page screenshots are kept in $GANKIT_ARTIFACTS, else test-artifacts/ at the repo root.

Run with the venv's pytest (`make test`). Needs the GoNB kernelspec from `make setup`,
which also installs chromium.
"""

import html
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlparse

import nbformat
import pytest

import exercises
import nbexec

REPO = Path(__file__).resolve().parents[2]
LESSON = REPO / "notebooks" / "01-minimax-game.ipynb"  # the quickest lesson to execute
STUDENTS = REPO / "lessons" / "exercises"  # its student version, as `make exercises` writes it
ARTIFACTS = Path(os.environ.get("GANKIT_ARTIFACTS") or REPO / "test-artifacts")


# ---------------------------------------------------------------- syllabus_entry

def _md(text, **meta):
    cell = nbformat.v4.new_markdown_cell(text)
    cell.metadata.update(meta)
    return cell


def _check(check, points, title, source='%%\nfmt.Println("ok")'):
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["gankit"] = {"check": check, "points": points, "title": title}
    cell.metadata["nbgrader"] = {"grade": True, "grade_id": check, "points": points,
                                 "solution": False, "locked": True}
    return cell


def _notebook(*cells):
    nb = nbformat.v4.new_notebook()
    nb.cells = list(cells)
    return nb


INTRO = """# Lesson 7 — Things, measured

A **GAN** learns $p_g$ from [samples](https://example.com) of
$p_{\\text{data}}$.

*Estimated time: 20 minutes; about two minutes of training on 2 CPU cores.*"""


def test_syllabus_entry_reads_title_summary_time_and_exercises():
    nb = _notebook(
        _md(INTRO),
        nbformat.v4.new_code_cell("%noautoget"),
        _md("## Part 1\n\nSome text."),
        _check("07-loss", 2, "the loss from its logits"),
        nbformat.v4.new_code_cell("// an exercise cell, no check", metadata={"gankit": {"exercise": "07-x"}}),
        _check("07-grad", 3, "the gradient <by hand> & checked"),
    )
    s = nbexec.syllabus_entry(nb, "notebooks/07-things.ipynb")
    assert s == {
        "page": "07-things.html",
        "heading": "Lesson 7 — Things, measured",
        "number": 7,
        "title": "Things, measured",
        "summary": "A GAN learns $p_g$ from samples of $p_{\\text{data}}$.",
        "time": "20 minutes; about two minutes of training on 2 CPU cores.",
        "exercises": [
            {"check": "07-loss", "title": "the loss from its logits", "points": 2},
            {"check": "07-grad", "title": "the gradient <by hand> & checked", "points": 3},
        ],
        "points": 5,
    }


def test_syllabus_entry_without_time_or_exercises():
    nb = _notebook(_md("# A page with no lesson number\n\nJust a paragraph."),
                   nbformat.v4.new_code_cell("%%\nfmt.Println(1)"))
    s = nbexec.syllabus_entry(nb, "03-plain.ipynb")
    assert (s["number"], s["title"], s["summary"]) == (3, "A page with no lesson number", "Just a paragraph.")
    assert s["time"] is None and s["exercises"] == [] and s["points"] == 0


def test_syllabus_entry_time_only_and_odd_metadata():
    # The estimated-time line is not taken as the summary; a missing or odd "points" is None.
    nb = _notebook(_md("# Lesson 2: Short\n\n**Estimated time:** 5 minutes"),
                   _check("a", None, "no points"), _check("b", "3", "points as text"),
                   nbformat.v4.new_code_cell("x", metadata={"gankit": "not a dict"}))
    s = nbexec.syllabus_entry(nb, "x.ipynb")
    assert (s["number"], s["title"], s["summary"], s["time"]) == (2, "Short", "", "5 minutes")
    assert [(e["check"], e["points"]) for e in s["exercises"]] == [("a", None), ("b", None)]
    assert s["points"] == 0


def test_syllabus_entry_time_wraps_over_lines():
    # A long estimated-time sentence is wrapped in the markdown source: the syllabus shows all of it.
    nb = _notebook(_md("# Lesson 3: Wrapped\n\nSummary.\n\n*Estimated time: 30 minutes; two to five minutes of\n"
                       "training, most of it in\nthe two tables.*\n\nNext paragraph."))
    s = nbexec.syllabus_entry(nb, "x.ipynb")
    assert (s["summary"], s["time"]) == ("Summary.", "30 minutes; two to five minutes of training, most of it in the two tables.")


def test_syllabus_entry_empty_notebook():
    s = nbexec.syllabus_entry(_notebook(), "notes.ipynb")
    assert (s["page"], s["heading"], s["number"], s["title"]) == ("notes.html", "notes", None, "notes")
    assert (s["summary"], s["time"], s["exercises"]) == ("", None, [])


def test_long_summary_is_cut_outside_math():
    # Cut at 240 characters, but not inside a formula: a lone "$" would break the index's math.
    words = " ".join(["word"] * 40)  # 199 characters
    formula = "$$" + " + ".join(f"x_{i}" for i in range(12)) + "$$"
    nb = _notebook(_md(f"# T\n\n{words} $a$ then {formula} more."))
    s = nbexec.syllabus_entry(nb, "t.ipynb")
    assert s["summary"] == words + " $a$ then..."


def test_index_html_escapes_and_says_when_there_are_no_exercises():
    with_ex = nbexec.syllabus_entry(_notebook(_md(INTRO), _check("07-grad", 3, "<b>bold</b> & co")), "07-t.ipynb")
    without = nbexec.syllabus_entry(_notebook(_md("# Lesson 8 — <Untitled> & more\n\nText.")), "08-u.ipynb")
    page = nbexec.index_html([with_ex, without], "mathjax/MathJax.js?config=X")
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; co" in page and "<b>bold" not in page
    assert "&lt;Untitled&gt; &amp; more" in page
    assert "(1, 3 points in all)" in page and "no exercises yet" in page
    assert "Estimated time:</strong> 20 minutes; about two minutes" in page
    assert "Estimated time:</strong> not given" in page
    assert '<a href="07-t.html">' in page and '<a href="08-u.html">' in page
    # Nothing loaded from the network: the only remote addresses are the footer's links.
    assert '<script src="mathjax/MathJax.js?config=X">' in page and "https://" not in page.replace(nbexec.FOOTER, "")


# What every page's footer says (nbexec.FOOTER): the kit's version, the licences, the data's credits.
FOOTER_FACTS = ["GAN kit (gankit) " + nbexec.KIT_VERSION, "lesson text and figures are licensed under CC BY-SA 4.0",
                "code under Apache-2.0", "MNIST, by Yann LeCun, Corinna Cortes and Christopher J.C. Burges",
                "Fashion-MNIST, by Zalando Research", "MIT licence", "data/README.md", "THIRD_PARTY_NOTICES.md"]


def _check_footer(text, name):
    missing = [fact for fact in FOOTER_FACTS if fact not in _words(text)]
    assert not missing, f"{name}: its footer lacks {missing}"


def test_pages_end_with_the_licence_footer():
    """Every page ends with the footer (licences, data credits, version): a lesson page as the
    export renders it (nbconvert with the page template, then lesson_page), and the index.
    Cheap: a notebook with no code, so no kernel; the browser tests check the real export."""
    from nbconvert import HTMLExporter
    _check_footer(html.unescape(re.sub(r"<[^>]+>", "", nbexec.FOOTER)), "FOOTER")
    assert 'rel="license" href="https://creativecommons.org/licenses/by-sa/4.0/"' in nbexec.FOOTER
    assert nbexec.KIT_VERSION == (REPO / "VERSION").read_text().strip()
    exporter = HTMLExporter(template_name="lab", template_file=nbexec.PAGE_TEMPLATE_NAME,
                            extra_loaders=[nbexec._page_template_loader()], mathjax_url="mathjax/MathJax.js")
    body, _ = exporter.from_notebook_node(_notebook(_md(INTRO)), resources={"metadata": {"name": "t"}})
    nav = nbexec._nav(("06-a.html", "Lesson 6"), None)
    page = nbexec.lesson_page(body, nav)
    assert page.count(nbexec.FOOTER) == 1 and page.count(nav) == 2
    assert page.index(nav, page.index("</nav>")) < page.index(nbexec.FOOTER) < page.index("</body>")
    index = nbexec.index_html([nbexec.syllabus_entry(_notebook(_md(INTRO)), "07-t.ipynb")], "mathjax/MathJax.js")
    assert index.count(nbexec.FOOTER) == 1 and index.index("</ol>") < index.index(nbexec.FOOTER) < index.index("</body>")


# ---------------------------------------------------------------- the pages in Chromium

# A second, quick lesson, so the pages have previous/next links and the index shows exercises.
PROBE_INTRO = r"""# Lesson 2 — A probe page

Display math: $$\mathbb{E}_{x \sim p_{\text{data}}}[\log D(x)] + \mathcal{L} \ge \mathfrak{F}$$
and inline $\sqrt{2}$.

*Estimated time: 5 minutes.*"""


def _chromium():
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="module")
def browser():
    exe = _chromium()
    if not exe:
        pytest.fail("chromium not found on PATH: the site tests need Debian's chromium package. "
                    "Run `make setup` (as root it installs it), or `apt-get install chromium`.")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("playwright is not installed: run `make setup` "
                    "(or .venv/bin/pip install -r cmd/nbexec/requirements.txt)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe)
        yield b
        b.close()


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    """{"public": folder, "instructor": folder}: lesson 1 and the probe exported as `make
    lessons` and `make instructor-site` do; the instructor export runs in a child process at
    the same time as the public one, so that the test executes lesson 1 twice in about the
    time of once."""
    src = tmp_path_factory.mktemp("src")
    probe = src / "02-probe.ipynb"
    nbformat.write(_notebook(_md(PROBE_INTRO), _check("02-probe", 2, "a <probe> & its check")), probe)
    public, instructor = tmp_path_factory.mktemp("lessons"), tmp_path_factory.mktemp("instructor-site")
    log = src / "instructor-export.log"
    with open(log, "w") as out:
        child = subprocess.Popen([sys.executable, nbexec.__file__, "export", "--instructor", "--out",
                                  str(instructor), str(LESSON), str(probe)],
                                 stdout=out, stderr=subprocess.STDOUT, cwd=REPO, start_new_session=True)
    try:
        results = nbexec.export([str(LESSON), str(probe)], public, students=STUDENTS)
        problems = [p for probs in results.values() for p in probs]
        assert not problems, "\n".join(problems)
        child.wait(timeout=nbexec.DEFAULT_TIMEOUT)
    finally:
        if child.poll() is None:  # the public export failed: stop the other one
            child.send_signal(signal.SIGINT)  # nbclient then shuts its kernel down
            try:
                child.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(child.pid, signal.SIGKILL)
                child.wait()
    assert child.returncode == 0, f"the instructor export failed:\n{log.read_text()}"
    return {"public": public, "instructor": instructor}


def _open(browser, path):
    """Loads a page, waits until MathJax has typeset it; returns (page, problems)."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    problems = []
    page.on("console", lambda m: m.type == "error" and problems.append(f"console error: {m.text}"))
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"failed to load {r.url[:200]}: {r.failure}"))
    page.goto(path.as_uri(), wait_until="load", timeout=60_000)
    page.wait_for_function("() => window.MathJax && MathJax.Hub && MathJax.Hub.Register", timeout=30_000)
    # A hook that returns nothing: a callback returned from a hook would make MathJax wait on it.
    page.evaluate("""() => { window.__gankitTypeset = false;
        MathJax.Hub.Register.StartupHook("End", () => {
            MathJax.Hub.Queue(() => { window.__gankitTypeset = true; }); }); }""")
    page.wait_for_function("() => window.__gankitTypeset === true", timeout=60_000)
    return page, problems


# MathJax's noErrors/noUndefined extensions (in the config the pages load) show a TeX error
# or an unknown macro as text instead of "[Math Processing Error]", so those are looked for
# in each formula's MathML: an <merror>, or the red <mtext> noUndefined puts for "\\foo".
MATH_STATE = """() => {
    const scripts = Array.from(document.querySelectorAll('script[type^="math/tex"]'));
    const rendered = s => s.previousElementSibling && /\\bMathJax(_Display)?\\b/.test(s.previousElementSibling.className);
    const bad = MathJax.Hub.getAllJax().filter(j => {
        const mml = j.root.toMathML('');
        return mml.includes('<merror') || mml.includes('<mtext mathcolor="red">\\\\');
    });
    return {
        math: scripts.length,
        typeset: document.querySelectorAll('.MathJax, .MathJax_Display').length,
        untypeset: scripts.filter(s => !rendered(s)).map(s => s.textContent.slice(0, 80)),
        processingErrors: (document.body.innerText.match(/Math Processing Error/g) || []).length
            + document.querySelectorAll('.MathJax_Error').length,
        texErrors: bad.map(j => j.originalText.slice(0, 80)),
    };
}"""

IMAGES = """async () => {
    const imgs = Array.from(document.images);
    await Promise.all(imgs.map(i => i.decode().catch(() => null)));
    return imgs.map(i => ({src: i.src.slice(0, 60), ok: i.complete && i.naturalWidth > 0, w: i.naturalWidth}));
}"""


def _check_math(page, name):
    m = page.evaluate(MATH_STATE)
    assert m["math"] > 0 and m["typeset"] > 0, f"{name}: no typeset math: {m}"
    assert not m["untypeset"], f"{name}: math left untypeset: {m['untypeset']}"
    assert m["processingErrors"] == 0, f"{name}: Math Processing Error: {m}"
    assert not m["texErrors"], f"{name}: TeX errors or undefined macros in: {m['texErrors']}"
    return m


def _links(page, selector):
    return page.eval_on_selector_all(selector, "els => els.map(a => [a.textContent.trim(), a.href])")


def _local_file(href):
    u = urlparse(href)
    assert u.scheme == "file", f"link leaves the site: {href}"
    return Path(unquote(u.path))


def _screenshot(page, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 0
    return path


def _check_footer_in_browser(page, name):
    """The page ends with the footer, shown, with the licences, the data's credits and the version."""
    footers = page.query_selector_all("footer.gankit-footer")
    assert len(footers) == 1 and footers[0].is_visible(), f"{name}: {len(footers)} footers (or hidden)"
    _check_footer(footers[0].inner_text(), name)
    # Nothing shown below it (MathJax appends hidden elements to the body after it).
    below = page.evaluate("""() => {
        const bottom = document.querySelector('footer.gankit-footer').getBoundingClientRect().bottom;
        return Array.from(document.body.querySelectorAll('*')).filter(e => {
            const r = e.getBoundingClientRect(), st = getComputedStyle(e);
            return r.height > 0 && r.width > 0 && st.visibility === 'visible' && st.position !== 'fixed'
                && r.bottom > bottom + 1;  // (MathJax's progress message is fixed, and goes away)
        }).map(e => e.tagName + '.' + e.className + '#' + e.id);
    }""")
    assert not below, f"{name}: shown below the footer: {below[:5]}"
    licence = footers[0].eval_on_selector_all('a[rel="license"]', "els => els.map(a => a.href)")
    assert licence == ["https://creativecommons.org/licenses/by-sa/4.0/"], f"{name}: {licence}"


@pytest.mark.parametrize("edition", ["public", "instructor"])
@pytest.mark.parametrize("name, prev, nxt", [
    ("01-minimax-game.html", None, "02-probe.html"),
    ("02-probe.html", "01-minimax-game.html", None),
])
def test_lesson_page_in_chromium(browser, sites, edition, name, prev, nxt):
    site = sites[edition]
    page, problems = _open(browser, site / name)
    try:
        _check_math(page, name)
        imgs = page.evaluate(IMAGES)
        if name == "01-minimax-game.html":  # lesson 1 plots; the probe has no figure
            assert imgs, f"{name}: no <img> on the page"
        bad = [i for i in imgs if not i["ok"]]
        assert not bad, f"{name}: images that did not decode: {bad}"
        assert all(i["src"].startswith("data:image/") for i in imgs), imgs  # embedded, not files

        for nav in page.query_selector_all("nav.gankit-nav"):  # at the top and at the bottom
            hrefs = {text.split(":")[0].strip("←→ "): _local_file(h)
                     for text, h in nav.eval_on_selector_all("a", "els => els.map(a => [a.textContent, a.href])")}
            expect = {"Index": "index.html"}
            if prev:
                expect["Previous"] = prev
            if nxt:
                expect["Next"] = nxt
            assert {k: v.name for k, v in hrefs.items()} == expect
            for target in hrefs.values():
                assert target.is_file(), f"{name}: link to missing {target}"
                assert target.parent == site, f"{name}: link out of its site: {target}"
            # Every instructor page says what it is, next to the index link; no public page does.
            assert (nbexec.INSTRUCTOR_MARK in nav.inner_text()) == (edition == "instructor")
        _check_footer_in_browser(page, name)
        _screenshot(page, f"{edition}-lesson-{Path(name).stem}.png")
        assert not problems, f"{name}:\n" + "\n".join(problems)
    finally:
        page.close()


@pytest.mark.parametrize("edition", ["public", "instructor"])
def test_index_page_in_chromium(browser, sites, edition):
    page, problems = _open(browser, sites[edition] / "index.html")
    try:
        _check_math(page, "index.html")  # the summaries have math
        lessons = page.eval_on_selector_all("ol.syllabus > li", """els => els.map(li => ({
            link: li.querySelector('h2 a').getAttribute('href'),
            title: li.querySelector('h2').textContent.trim(),
            text: li.textContent,
            exercises: Array.from(li.querySelectorAll('.exercises li')).map(x => x.textContent.trim())}))""")
        want = nbexec.syllabus_entry(nbformat.read(LESSON, as_version=4), LESSON.name)
        assert [x["link"] for x in lessons] == ["01-minimax-game.html", "02-probe.html"]
        assert lessons[0]["title"] == f"Lesson 1 {want['title']}"
        assert f"Estimated time: {want['time']}" in lessons[0]["text"]
        if want["exercises"]:
            assert [x.split(" (")[0] for x in lessons[0]["exercises"]] == [e["title"] for e in want["exercises"]]
        else:
            assert "no exercises yet" in lessons[0]["text"]
        assert lessons[1]["title"] == "Lesson 2 A probe page"
        assert "Estimated time: 5 minutes." in lessons[1]["text"]
        assert lessons[1]["exercises"] == ["a <probe> & its check (2 points)"]  # escaped, shown as text
        for text, href in _links(page, "a[href]:not(footer.gankit-footer a)"):  # the footer's lead elsewhere
            assert _local_file(href).is_file(), f"index.html: link {text!r} to missing {href}"
        _check_footer_in_browser(page, "index.html")
        intro = page.inner_text("h1 + p")
        if edition == "instructor":
            assert "(instructor version)" in page.inner_text("h1") and "not for learners" in intro
        else:
            assert "instructor" not in page.inner_text("body").lower()
            assert "student notebook" in intro
        _screenshot(page, f"{edition}-index.png")
        assert not problems, "index.html:\n" + "\n".join(problems)
    finally:
        page.close()


# ---------------------------------------------------------------- what learners see

# Each cell of an exported page, in notebook order: its code (as shown) and its output's text.
CELLS = """() => Array.from(document.querySelectorAll('.jp-Cell')).map(c => ({
    code: c.classList.contains('jp-CodeCell'),
    input: c.classList.contains('jp-CodeCell')
        ? (c.querySelector('.jp-InputArea-editor') || {innerText: ''}).innerText : '',
    output: (c.querySelector('.jp-OutputArea') || {innerText: ''}).innerText,
}))"""


def _words(text):
    return " ".join(text.split())


def _solution_bodies(source):
    """The lines between each "// BEGIN SOLUTION" and its "// END SOLUTION", one string per region."""
    bodies, body = [], None
    for line in source.splitlines():
        if line.strip() == exercises.BEGIN:
            body = []
        elif line.strip() == exercises.END:
            bodies.append("\n".join(body))
            body = None
        elif body is not None:
            body.append(line)
    return bodies


def test_public_page_shows_stubs_and_the_instructor_page_solutions(browser, sites):
    """What learners see: no line of a solution on the public page of lesson 1, the stub and
    the failed check instead; the instructor page has each solution and its passed check."""
    nb = nbformat.read(LESSON, as_version=4)
    sols, chks = exercises.solutions(nb), exercises.checks(nb)
    assert sols and len(sols) == len(chks), "lesson 1 has no exercises to check the pages with"
    name = LESSON.stem + ".html"
    shown = {}
    for edition in ("public", "instructor"):
        # Loaded only, not typeset: MathJax changes the markdown, not the code or the outputs
        # (the page's checks are in test_lesson_page_in_chromium).
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        try:
            page.goto((sites[edition] / name).as_uri(), wait_until="load", timeout=60_000)
            shown[edition] = {"cells": page.evaluate(CELLS), "text": _words(page.inner_text("body"))}
        finally:
            page.close()
        # And the file itself, hidden elements included: its text without the markup.
        raw = (sites[edition] / name).read_text(encoding="utf-8")
        shown[edition]["file"] = _words(html.unescape(re.sub(r"<[^>]+>", "", raw)))
    public, instructor = shown["public"], shown["instructor"]
    # The markers are comments in the code (the lesson's text names them too): in the code
    # shown only where the solutions are.
    for edition, cells in (("public", public["cells"]), ("instructor", instructor["cells"])):
        marked = [i for i, c in enumerate(cells) if exercises.BEGIN in c["input"]]
        assert marked == ([i for i, _ in sols] if edition == "instructor" else []), (edition, marked)
    for cells in (public["cells"], instructor["cells"]):
        assert [c["code"] for c in cells] == [c.cell_type == "code" for c in nb.cells]

    stub = _words("\n".join(exercises.STUB))
    for i, ex_id in sols:
        bodies = _solution_bodies(exercises._source(nb.cells[i]))
        assert bodies, f"cell {i} ({ex_id}) has no solution region"
        for body in map(_words, bodies):
            assert body in _words(instructor["cells"][i]["input"]), f"instructor page: no solution of {ex_id}"
            assert body not in public["text"], f"public page shows the solution of {ex_id}"
            assert body not in public["file"], f"public page's file holds the solution of {ex_id}"
            assert body in instructor["file"]
        assert stub in _words(public["cells"][i]["input"]), f"public page: no stub for {ex_id}"
        assert stub not in _words(instructor["cells"][i]["input"])
        # Nor any line of it on its own (short ones such as "}" or "loss := 0.0" are common code).
        public_cell = _words(public["cells"][i]["input"])
        for line in "\n".join(bodies).splitlines():
            if len(line.strip()) > 12 and _words(line) not in public_cell:
                assert _words(line) not in public["file"], f"public page shows {line.strip()!r} ({ex_id})"
    for i, c in chks:
        out = public["cells"][i]["output"]  # "✘ 01-d-loss: on input ...: not implemented yet: ..."
        assert f"✘ {c['id']}: " in out and "not implemented yet" in out, public["cells"][i]
        assert f"✔ {c['id']}: passed" in instructor["cells"][i]["output"], instructor["cells"][i]


def test_public_sources_are_the_student_versions(tmp_path):
    """`--students DIR`: each lesson's up-to-date student version; a missing or stale one, and a
    notebook that still has a solution, is refused before anything runs."""
    sources, problems = nbexec.public_sources([str(LESSON)], STUDENTS)
    assert problems == {} and sources == [(str(LESSON), str(STUDENTS / LESSON.name))]
    plain = tmp_path / "03-plain.ipynb"  # no exercises: nothing to hide, exported as it is
    nbformat.write(_notebook(_md("# Lesson 3 — Plain\n\nText.")), plain)
    assert nbexec.public_sources([str(plain)], tmp_path / "none") == ([(str(plain), str(plain))], {})

    st = nbformat.read(STUDENTS / LESSON.name, as_version=4)
    st.cells[exercises.solutions(st)[0][0]].source += "\n// edited"
    nbformat.write(st, tmp_path / LESSON.name)
    results = nbexec.export([str(LESSON)], tmp_path / "out", students=tmp_path)
    assert "out of date: run `make exercises`" in results[str(LESSON)][0]
    results = nbexec.export([str(LESSON)], tmp_path / "out", students=tmp_path / "none")
    assert "missing: run `make exercises`" in results[str(LESSON)][0]
    results = nbexec.export([str(LESSON)], tmp_path / "out")  # the instructor notebook, not --instructor
    assert "holds solutions (cells " in results[str(LESSON)][0]
    assert not (tmp_path / "out").exists()


# A top-level declaration in a solution cell: a function (or method), a variable, a constant, a type.
DECLARED = re.compile(r"^func\s+(?:\([^)]*\)\s*)?(\w+)|^(?:var|const|type)\s+(\w+)", re.MULTILINE)
# Go's string literals and comments, dropped before looking for a name.
STRINGS_AND_COMMENTS = re.compile(r'"(?:\\.|[^"\\\n])*"|`[^`]*`|\'(?:\\.|[^\'\\\n])*\'|//[^\n]*|/\*.*?\*/', re.DOTALL)
LESSONS = sorted((REPO / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", LESSONS, ids=[p.name for p in LESSONS])
def test_only_checks_use_what_the_learner_writes(path):
    """`make lessons` executes every student version whole: a cell other than a check that
    used a function of a solution cell would run the stub and panic there, and the public
    site would not build. Checked here without the 25 minutes of executing every lesson:
    no code cell after a solution cell, other than a check, names what it declares."""
    nb = nbformat.read(path, as_version=4)
    sols, chks = dict(exercises.solutions(nb)), {i for i, _ in exercises.checks(nb)}
    declared = {}
    for i in sols:
        for m in DECLARED.finditer(exercises._source(nb.cells[i])):
            declared[m.group(1) or m.group(2)] = i
    assert declared or not sols, f"{path.name}: solution cells that declare nothing"
    for j, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or j in sols or j in chks:
            continue
        code = STRINGS_AND_COMMENTS.sub(" ", exercises._source(cell))
        used = [n for n, i in declared.items() if i < j and re.search(rf"\b{re.escape(n)}\b", code)]
        assert not used, (f"{path.name} cell {j} uses {used}, which the learner writes: the student "
                          "version would panic there (\"not implemented\")")
