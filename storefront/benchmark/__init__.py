"""`make bench`: the shop's benchmark harness (issue 6).

`manage.py bench_data` fills a benchmark database with every app's `bench.build()`.
"""
