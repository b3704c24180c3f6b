"""The benchmark harness's parts that need no load: parsing, maths, reporting, configuration."""

import json

import pytest
import stripe

from loadtest import report, wrk
from loadtest.commands.bench import invocation
from loadtest.databases import BenchDatabase, UnsupportedDatabase
from loadtest.endpoints import ENDPOINTS, HEALTHZ, Endpoint, MissingFacts, fact
from loadtest.measure import STALE_ETAG, Client, Measurement, ceiling
from loadtest.run import Options
from loadtest.server import WEBHOOK_SECRET, Server, Session


def wrk_output(**overrides) -> str:
    data = {
        "requests": 3000,
        "duration_us": 3_000_000,
        "bytes": 123456,
        "errors": {"connect": 0, "read": 0, "write": 0, "timeout": 0},
        "latency_us": {"p50": 4200.0, "p99": 31500.5, "mean": 5000.0, "max": 60000.0},
        "statuses": {"200": 3000},
        "items_used": 0,
        "exhausted": 0,
    } | overrides
    return (
        "Running 3s test @ http://127.0.0.1:8200/\n"
        "  2 threads and 16 connections\n"
        f"{wrk.MARKER}{json.dumps(data)}\n"
        "  3000 requests in 3.00s, 120.56KB read\n"
    )


def result(rps: float, *, p50=5.0, p99=20.0, statuses=None) -> wrk.WrkResult:
    return wrk.WrkResult(
        requests=int(rps * 3),
        duration_s=3.0,
        p50_ms=p50,
        p99_ms=p99,
        statuses=statuses or {200: int(rps * 3)},
        socket_errors=0,
    )


def test_parse_reads_the_result_line_in_milliseconds():
    parsed = wrk.parse(wrk_output())

    assert parsed.requests == 3000
    assert parsed.rps == 1000
    assert parsed.p50_ms == 4.2
    assert parsed.p99_ms == 31.5005
    assert parsed.statuses == {200: 3000}
    assert parsed.socket_errors == 0


def test_parse_counts_every_kind_of_socket_error():
    output = wrk_output(errors={"connect": 1, "read": 2, "write": 3, "timeout": 4})

    assert wrk.parse(output).socket_errors == 10


def test_parse_refuses_output_without_a_result_line():
    with pytest.raises(wrk.WrkError, match="BENCH_RESULT"):
        wrk.parse("Running 3s test @ http://127.0.0.1:8200/\n")


def test_unexpected_counts_other_statuses_and_socket_errors():
    parsed = wrk.parse(
        wrk_output(
            statuses={"304": 2990, "200": 7, "403": 3},
            errors={"connect": 0, "read": 1, "write": 0, "timeout": 0},
        )
    )

    assert parsed.unexpected(304) == 11
    assert parsed.unexpected(200) == 2994


def test_to_lua_writes_nested_tables_and_escapes_strings():
    literal = wrk.to_lua(
        {"mode": "once", "items": [["/orders/1/confirm/", 0]], "body": None, "quiet": True}
    )

    assert literal == (
        '{["mode"] = "once", ["items"] = {{"/orders/1/confirm/", 0}}, '
        '["body"] = nil, ["quiet"] = true}'
    )
    assert wrk.to_lua('say "hi"\n') == r'"say \"hi\"\n"'


def test_ratio_is_the_median_of_each_round_against_its_own_healthz():
    measurement = Measurement(
        ENDPOINTS[0],
        results=[result(500), result(400), result(900)],
        ceilings=[result(1000), result(1000), result(1000)],
    )
    # Rounds: 0.5, 0.4, 0.9: the median round, not the ratio of the medians.
    assert measurement.ratio == 0.5

    drifting = Measurement(
        ENDPOINTS[0],
        results=[result(500), result(250), result(1000)],
        ceilings=[result(1000), result(500), result(2000)],
    )
    # The machine halved and doubled its speed; the endpoint's cost relative to it did not.
    assert drifting.ratio == 0.5
    assert drifting.rps == 500


def test_latency_and_throughput_are_medians_over_the_rounds():
    measurement = Measurement(
        ENDPOINTS[0],
        results=[result(300, p50=10, p99=90), result(100, p50=30, p99=30), result(200, p50=20)],
        ceilings=[result(1000)] * 3,
    )

    assert (measurement.rps, measurement.p50_ms, measurement.p99_ms) == (200, 20, 30)


def test_the_ceiling_row_gathers_every_healthz_run():
    runs = [result(1000), result(1200), result(800), result(1100)]
    measurements = [
        Measurement(ENDPOINTS[0], results=[result(1)] * 2, ceilings=runs[:2]),
        Measurement(ENDPOINTS[1], results=[result(1)] * 2, ceilings=runs[2:]),
    ]

    row = ceiling(measurements)

    assert row.endpoint == HEALTHZ
    assert row.rps == 1050
    assert row.ratio == 1


def test_a_304_endpoint_counts_200s_as_errors():
    poll = next(e for e in ENDPOINTS if e.expect == 304)
    measurement = Measurement(
        poll, results=[result(10, statuses={304: 28, 200: 2})], ceilings=[result(100)]
    )

    assert measurement.errors == 2


FACTS = {
    "catalog": {"poll_path": "/stock/?ids=1,2", "list_path": "/"},
    "checkout": {"cart_add_paths": ["/cart/add/7/", "/cart/add/8/"]},
    "payments": {
        "webhooks": [
            ["/payments/webhook/stripe/", None, '{"id": "evt_1"}'],
            ["/payments/webhook/stripe/", None, '{"id": "evt_2"}'],
        ]
    },
}
SHOPPERS = [Session("csrftoken=a; sessionid=b", "a"), Session("csrftoken=c; sessionid=d", "c")]


def client() -> Client:
    return Client("http://127.0.0.1:8200", Session("csrftoken=v", "v"), SHOPPERS)


def by_name(name: str) -> Endpoint:
    return next(endpoint for endpoint in ENDPOINTS if endpoint.name == name)


def test_a_get_is_one_fixed_request_with_the_visitors_cookie():
    config = client().config(by_name("stock poll, changed (200)"), FACTS)

    assert config == {
        "mode": "fixed",
        "method": "GET",
        "path": "/stock/?ids=1,2",
        "headers": {"HX-Request": "true", "Cookie": "csrftoken=v", "If-None-Match": STALE_ETAG},
    }


def test_adding_to_cart_rotates_over_products_and_signed_in_shoppers():
    config = client().config(by_name("add to cart (POST)"), FACTS)

    assert config["mode"] == "rotate"
    assert config["paths"] == ["/cart/add/7/", "/cart/add/8/"]
    assert config["sessions"] == [
        {"cookie": "csrftoken=a; sessionid=b", "csrf": "a"},
        {"cookie": "csrftoken=c; sessionid=d", "csrf": "c"},
    ]
    assert config["headers"]["Content-Type"] == "application/x-www-form-urlencoded"
    assert config["body"] == "quantity=1&next=%2F"


def test_a_signed_in_page_is_asked_for_by_each_shopper_in_turn():
    config = client().config(by_name("catalog page 1, signed in with a cart"), FACTS)

    assert (config["mode"], config["method"], config["paths"]) == ("rotate", "GET", ["/"])
    assert config["sessions"] == [vars(session) for session in SHOPPERS]
    assert config["body"] is None


def test_a_visitor_with_a_cart_page_uses_the_visitors_sessions_or_is_missing():
    endpoint = by_name("product detail, visitor with a cart")
    facts = {"catalog": {"detail_path": "/products/a/"}}
    visitors = [Session("csrftoken=x; sessionid=y", "x")]
    with_visitors = Client("http://127.0.0.1:8200", Session("csrftoken=v", "v"), [], visitors)

    assert with_visitors.config(endpoint, facts)["sessions"] == [vars(visitors[0])]
    with pytest.raises(MissingFacts, match="visitor with cart"):
        client().config(endpoint, facts)


def test_the_dashboard_is_asked_for_by_the_signed_in_member_of_staff_or_is_missing():
    endpoint = by_name("dashboard, 100k orders")
    facts = {"dashboard": {"dashboard_path": "/admin/?refresh"}}
    staff = [Session("csrftoken=s; sessionid=t", "s")]
    with_staff = Client("http://127.0.0.1:8200", Session("csrftoken=v", "v"), [], staff=staff)

    config = with_staff.config(endpoint, facts)

    assert (config["mode"], config["paths"]) == ("rotate", ["/admin/?refresh"])
    assert config["sessions"] == [vars(staff[0])]
    with pytest.raises(MissingFacts, match=r"loadtest/volumes/dashboard\.py"):
        client().config(endpoint, facts)


def test_only_measures_the_endpoints_it_names():
    names = [e.name for e in Options(None, "make bench", only=("signed in",)).chosen()]

    assert names == [
        "catalog page 1, signed in with a cart",
        "product detail, signed in with a cart",
        "blog post with 20 comments, signed in",
    ]
    assert len(Options(None, "make bench").chosen()) == len(ENDPOINTS)


def test_paying_posts_each_event_once_signed_as_stripe_signs_it_with_no_session():
    config = client().config(by_name("pay and confirm (webhook POST)"), FACTS)

    assert config["mode"] == "once"
    assert config["offset"] == 1
    assert config["headers"] == {"Content-Type": "application/json"}
    for (path, session, body, headers), event in zip(
        config["items"], FACTS["payments"]["webhooks"], strict=True
    ):
        assert (path, session, body) == tuple(event)
        verified = stripe.Webhook.construct_event(body, headers["Stripe-Signature"], WEBHOOK_SECRET)
        assert verified.id == json.loads(body)["id"]


def test_an_endpoint_whose_app_has_no_bench_module_is_missing():
    with pytest.raises(MissingFacts, match=r"loadtest/volumes/blog\.py"):
        client().config(by_name("blog post with 20 comments"), FACTS)
    with pytest.raises(MissingFacts):
        fact("blog", "post_path")({"blog": {}})


def test_the_blog_rows_run_once_blog_facts_exist():
    facts = {**FACTS, "blog": {"post_path": "/blog/a-post/", "comment_path": "/blog/b/comments/"}}

    post = client().config(by_name("blog post with 20 comments"), facts)
    comment = client().config(by_name("post a comment (POST)"), facts)

    assert (post["mode"], post["path"]) == ("fixed", "/blog/a-post/")
    assert (comment["mode"], comment["paths"]) == ("rotate", ["/blog/b/comments/"])


def test_only_gets_have_the_p99_target():
    assert by_name("catalog page 1").p99_limit_ms == 25
    assert by_name("add to cart (POST)").p99_limit_ms is None
    assert by_name("dashboard, 100k orders").p99_limit_ms == 1000


def test_a_ratio_target_for_one_engine_applies_on_that_engine_only():
    confirm = Measurement(
        Endpoint(
            "a write",
            lambda facts: "/",
            method="POST",
            target_ratio=0.10,
            target_engine="postgresql",
            check_oversell=True,
        ),
        results=[result(100)],
        ceilings=[result(1000)],
        tally={"oversell": 0},
    )

    assert report.checks(confirm, "sqlite") == [
        ("ratio ≥ 0.10 on PostgreSQL", None),
        ("oversell 0", True),
    ]
    assert report.checks(confirm, "postgresql") == [("ratio ≥ 0.10", True), ("oversell 0", True)]


def test_a_report_with_oversell_or_errors_has_failed():
    measurement = Measurement(
        by_name("pay and confirm (webhook POST)"),
        results=[result(100)],
        ceilings=[result(1000)],
        tally={"oversell": 0},
    )
    made = report.Report(
        engine="sqlite",
        database_version="3.40.1",
        command="make bench",
        settings="",
        ceiling=ceiling([measurement]),
        measurements=[measurement],
    )
    assert not made.failed

    measurement.tally = {"oversell": -2}
    assert made.failed


def sample_report(engine: str, rps: float) -> report.Report:
    catalog = Measurement(by_name("catalog page 1"), [result(rps)], [result(1000)])
    return report.Report(
        engine=engine,
        database_version="1.0",
        command="make bench",
        settings="the load",
        ceiling=ceiling([catalog]),
        measurements=[catalog],
        skipped={"blog post with 20 comments": "no loadtest/volumes/blog.py providing 'post_path'"},
        scale={"catalog page 1": (catalog, catalog)},
    )


def test_the_markdown_marks_each_row_against_its_targets():
    markdown = report.as_markdown(sample_report("sqlite", 600))

    assert "| catalog page 1 | 600 | 5.0 | 20.0 | 0.60 | ratio ≥ 0.50, p99 < 25 ms | yes | 0 |" in (
        markdown
    )
    assert "| /healthz (ceiling) | 1,000 | 5.0 | 20.0 | 1.00 | — | — | 0 |" in markdown
    assert "| catalog page 1 | 0.60 | 0.60 | 1.00× | yes |" in markdown
    assert "- blog post with 20 comments: no loadtest/volumes/blog.py" in markdown
    assert "**Command**: `make bench`" in markdown


def test_a_new_file_waits_for_each_engine_in_a_fixed_order(tmp_path):
    path = tmp_path / "benchmarks.md"

    report.write(sample_report("postgresql", 200), path)

    text = path.read_text()
    assert "## SQLite\n\nNot measured yet." in text
    assert text.index("## SQLite") < text.index("## PostgreSQL")


def test_writing_replaces_only_the_same_engines_section(tmp_path):
    path = tmp_path / "benchmarks.md"

    report.write(sample_report("postgresql", 200), path)
    report.write(sample_report("sqlite", 100), path)
    report.write(sample_report("sqlite", 300), path)

    text = path.read_text()
    assert text.startswith(report.HEADER)
    assert text.count("## SQLite") == 1
    assert text.count("## PostgreSQL") == 1
    assert text.index("## SQLite") < text.index("## PostgreSQL")
    assert "| catalog page 1 | 300 |" in text
    assert "| catalog page 1 | 200 |" in text
    assert "| catalog page 1 | 100 |" not in text


def test_formatting_and_writing_a_report_runs_no_load_generator(tmp_path, monkeypatch):
    """The report names the wrk the run used; formatting it needs no wrk on this machine."""
    monkeypatch.setenv("PATH", str(tmp_path))  # nothing to run here: no wrk, no anything
    made = sample_report("sqlite", 100)
    made.load_generator = "wrk 4.2.0"

    report.write(made, tmp_path / "benchmarks.md")

    assert "Python" in (text := (tmp_path / "benchmarks.md").read_text())
    assert "wrk 4.2.0, SQLite" in text


def test_sqlite_benchmark_databases_live_under_dot_bench():
    database = BenchDatabase.beside(None, "bench")

    assert database.engine == "sqlite"
    assert database.name.endswith("/.bench/bench.sqlite3")
    assert database.url == f"sqlite:///{database.name}"
    assert BenchDatabase.beside("sqlite:////srv/shop.sqlite3", "bench") == database


def test_postgresql_benchmark_databases_sit_beside_the_configured_one():
    database = BenchDatabase.beside(
        "postgres://shop:secret@db.internal:5433/storefront?sslmode=require", "bench_small"
    )

    assert database.engine == "postgresql"
    assert database.name == "storefront_bench_small"
    assert database.url == (
        "postgres://shop:secret@db.internal:5433/storefront_bench_small?sslmode=require"
    )


def test_other_database_engines_are_refused():
    with pytest.raises(UnsupportedDatabase):
        BenchDatabase.beside("mysql://root@127.0.0.1/shop", "bench")


def test_the_reported_command_is_the_one_typed_without_passwords():
    environ = {"MAKELEVEL": "1", "DATABASE_URL": "postgres://shop:secret@127.0.0.1:5432/shop"}

    assert invocation(["manage.py", "bench"], environ) == (
        "DATABASE_URL=postgres://shop:…@127.0.0.1:5432/shop make bench"
    )
    assert invocation(["manage.py", "bench", "--rounds", "5"], {"MAKELEVEL": "1"}) == (
        "make bench BENCH_ARGS='--rounds 5'"
    )
    assert invocation(["loadtest", "bench"], {}) == "python -m loadtest bench"


def test_the_servers_run_what_gunicorn_conf_ships_unless_told_otherwise(monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    monkeypatch.delenv("GUNICORN_THREADS", raising=False)

    assert Options(None, "make bench").gunicorn() == {
        "workers": 3,
        "worker_class": "sync",
        "threads": 1,
    }
    assert Options(None, "make bench", worker_class="gthread", gunicorn_threads=4).gunicorn() == {
        "workers": 3,
        "worker_class": "gthread",
        "threads": 4,
    }


def test_threads_make_the_shipped_workers_threaded(monkeypatch):
    monkeypatch.setenv("GUNICORN_THREADS", "4")

    assert Options(None, "make bench").gunicorn()["worker_class"] == "gthread"


def test_a_server_passes_gunicorn_only_what_it_was_given(tmp_path):
    shipped = Server(port=8200, env={}, log_path=tmp_path / "log")
    chosen = Server(port=8200, env={}, log_path=tmp_path / "log", workers=2, threads=4)

    assert shipped.options == []
    assert chosen.options == ["--workers=2", "--threads=4"]
