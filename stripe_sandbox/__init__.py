"""A local stand-in for Stripe: the part of its API the shop uses, its hosted payment page, and
its signed webhooks, with fault switches for tests. Development tooling, not shipped; see
README.md in this folder.
"""
