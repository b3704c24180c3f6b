"""Benchmark volume for accounts: 200 customers, each with a Customer profile.

Gathered by `python -m loadtest data build` (see loadtest/data.py for the contract). The
first SHOPPERS customers are the ones the benchmark signs in: their sessions make the POSTs.
"""

from django.contrib.auth.hashers import make_password

from accounts.models import Customer, User

CUSTOMERS = 200
# One signed-in shopper for each of wrk's 16 connections.
SHOPPERS = 16
# A benchmark database is thrown away after the run; this password never guards anything real.
PASSWORD = "bench-shopper-password"

CITIES = [
    ("Bristol", "BS1 4DJ"),
    ("Leeds", "LS1 3AD"),
    ("Glasgow", "G1 1XQ"),
    ("Cardiff", "CF10 1EP"),
    ("Norwich", "NR2 1NH"),
    ("York", "YO1 7HH"),
]


def build(*, scale: float, facts: dict, stdout) -> dict:
    count = max(SHOPPERS, round(CUSTOMERS * scale))
    # Hashed once and shared: hashing 200 passwords one by one would take about a minute.
    password = make_password(PASSWORD)
    users = User.objects.bulk_create(
        User(
            username=f"bench-shopper-{number:03d}",
            email=f"bench-shopper-{number:03d}@example.com",
            first_name="Shopper",
            last_name=f"No. {number}",
            password=password,
        )
        for number in range(count)
    )
    # bulk_create sends no post_save, so accounts' receiver never sees these users: their
    # profiles are made here, as the receiver would have made them.
    Customer.objects.bulk_create(
        Customer(
            user=user,
            display_name=f"Shopper No. {number}",
            address_line1=f"{number + 1} High Street",
            city=CITIES[number % len(CITIES)][0],
            postal_code=CITIES[number % len(CITIES)][1],
            country="GB",
        )
        for number, user in enumerate(users)
    )
    stdout.write(f"accounts: {count} customers with profiles")
    return {
        "customers": count,
        "shoppers": [user.username for user in users[:SHOPPERS]],
        # Every customer, for a load with more shoppers than the benchmark's (the soak's).
        "usernames": [user.username for user in users],
        "password": PASSWORD,
    }
