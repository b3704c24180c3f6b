"""`make bench`: the shop's benchmark harness (issue 6). Results go to docs/benchmarks.md.

    run.py        the whole run, step by step: databases, servers, sign-ins, measurements
    databases.py  the benchmark's own SQLite files or PostgreSQL databases
    data.py       what fills them: every app's `bench.build()` (catalog/bench.py, ...)
    server.py     gunicorn in the production configuration; sign-in through the real form
    endpoints.py  the table of what is measured, with the issue's targets
    measure.py    rounds against /healthz, medians and ratios
    wrk.py        running wrk with bench.lua and reading its result line
    report.py     the Markdown table, the machine, docs/benchmarks.md

`manage.py bench` runs it (`make bench`); `manage.py bench_data` fills a benchmark database.
"""
