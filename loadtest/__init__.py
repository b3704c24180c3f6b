"""The shop's load tests: `make bench` (wrk) and `make soak` (locust). Development tooling:
not an installed app and not in the wheel; run as `python -m loadtest <command>`.

    __main__.py   the entry point: `python -m loadtest bench|soak|data ...`
    commands/     the three commands (Django management commands, run from __main__)
    run.py        the benchmark, step by step: databases, servers, sign-ins, measurements
    databases.py  the benchmark's own SQLite files or PostgreSQL databases
    data.py       what fills them: one volume module per app in volumes/
    server.py     gunicorn in the production configuration; sign-in through the real form
    endpoints.py  the table of what is measured, with its targets
    measure.py    rounds against /healthz, medians and ratios
    wrk.py        running wrk with bench.lua and reading its result line
    report.py     the Markdown table, the machine, docs/benchmarks.md
    soak.py       the soak: the deployment of docs/deploy.md, shoppers, then the books
    shoppers.py   the soak's simulated shoppers, a locustfile
    books.py      the soak's facts and checks, read through the ORM from the soak database
"""
