"""The browser tests' safety net (conftest.BrowserProblems) catches what it promises to.

Each test serves the real home page, under the shop's real Content-Security-Policy header,
with a template mistake added: an inline style, an inline script, an off-site image.
"""

from playwright.sync_api import BrowserContext, Page, Route, expect

from .conftest import BrowserProblems

MISTAKES = (
    '<p style="color: red">Styled inline</p>'
    "<script>window.inlineScriptRan = true</script>"
    '<img src="https://elsewhere.example/pixel.png" alt="">'
)


def open_home_with_mistakes(context: BrowserContext) -> tuple[Page, BrowserProblems]:
    problems = BrowserProblems()  # not the test's own: these tests must pass
    page = problems.watch(context.new_page())

    def add_mistakes(route: Route) -> None:
        response = route.fetch()
        assert "style-src 'self'" in response.headers["content-security-policy"]
        route.fulfill(
            response=response, body=response.text().replace("</main>", f"{MISTAKES}</main>")
        )

    page.route("/", add_mistakes)
    page.goto("/")
    expect(page.get_by_text("Styled inline")).to_be_visible()
    problems.settle()
    return page, problems


def test_a_csp_violation_is_reported_with_the_directive_and_what_it_blocked(new_context):
    page, problems = open_home_with_mistakes(new_context())

    reported = "\n".join(problems)
    assert "CSP violation: style-src-attr blocked inline at " in reported
    assert "CSP violation: script-src-elem blocked inline at " in reported
    assert "CSP violation: img-src blocked https://elsewhere.example/pixel.png at " in reported
    # The policy held.
    assert page.evaluate("window.inlineScriptRan") is None


def test_without_javascript_a_csp_violation_is_still_reported(new_context):
    _, problems = open_home_with_mistakes(new_context(java_script_enabled=False))

    violations = [problem for problem in problems if problem.startswith("CSP violation")]
    assert any("inline style" in v and "style-src 'self'" in v for v in violations), problems
    assert any("https://elsewhere.example/pixel.png" in v for v in violations), problems
