"""Benchmark volume for the catalog: 10,000 products with the stock mix of a real shop.

Gathered by `python -m loadtest data build` (see loadtest/data.py for the contract).
Names are made from a few word lists, so a search for one material matches about one product
in eight at any volume: the scale check compares like with like.
"""

import random
from decimal import Decimal

from django.core.files import File
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.text import slugify

from catalog.demo import IMAGES
from catalog.models import Product
from catalog.views import PRODUCTS_PER_PAGE

PRODUCTS = 10_000

# fmt: off
ADJECTIVES = [
    "Classic", "Rustic", "Speckled", "Hand-thrown", "Brushed", "Everyday", "Heritage",
    "Compact", "Large", "Nordic", "Hammered", "Stackable",
]
MATERIALS = ["Walnut", "Enamel", "Linen", "Stoneware", "Copper", "Oak", "Glass", "Wool"]
NOUNS = [
    "Mug", "Bowl", "Board", "Jar", "Tray", "Kettle", "Towel", "Basket", "Plate", "Spoon",
    "Throw", "Planter", "Carafe", "Tumbler", "Dish",
]
# fmt: on
# Searched for by the benchmark: one material, so about len(MATERIALS)⁻¹ of the products match.
SEARCH = "walnut"

SENTENCES = [
    "Made in a small workshop that has been at it for three generations.",
    "Sturdy enough for daily use and handsome enough to leave out on the counter.",
    "Each piece varies a little, which is the point.",
    "Wash by hand and it will outlive its owner.",
    "Sized for real kitchens, not photo shoots.",
    "Packed without plastic and shipped in recycled card.",
    "A quiet design that sits well next to anything.",
]


def _stock(rng: random.Random) -> int:
    """Most products plenty, some low, a few sold out: every badge kind shows on a page."""
    roll = rng.random()
    if roll < 0.08:
        return 0
    if roll < 0.20:
        return rng.randint(1, 5)
    return rng.randint(6, 400)


def _pictures() -> list[str]:
    """A few demo pictures in the media storage, each cut into its renditions once, for the
    products to share: every page measured shows pictures, as the real shop's do."""
    names = []
    for path in sorted(IMAGES.glob("*.webp"))[:8]:
        with path.open("rb") as picture:
            name = default_storage.save(f"products/bench/{path.name}", File(picture))
        # An unsaved product holding the file, to have django-pictures make its renditions.
        Product(image=name, image_width=256, image_height=256).image.update_all()
        names.append(name)
    return names


def build(*, scale: float, facts: dict, stdout) -> dict:
    count = max(2 * PRODUCTS_PER_PAGE, round(PRODUCTS * scale))
    rng = random.Random(6)  # the same shop every run
    pictures = _pictures()
    products = []
    for number in range(count):
        name = f"{rng.choice(ADJECTIVES)} {rng.choice(MATERIALS)} {rng.choice(NOUNS)}"
        products.append(
            Product(
                name=name,
                # Names repeat across 10,000 products; the number keeps slugs unique.
                slug=f"{slugify(name)}-{number}",
                description=" ".join(rng.sample(SENTENCES, 3)),
                price=Decimal(rng.randint(300, 25_000)) / 100,
                quantity=_stock(rng),
                image=pictures[number % len(pictures)],
                image_width=256,
                image_height=256,
            )
        )
    Product.objects.bulk_create(products, batch_size=1000)

    listing = reverse("catalog:product_list")
    first_page = list(Product.objects.values_list("pk", flat=True)[:PRODUCTS_PER_PAGE])
    middle = Product.objects.all()[count // 2]
    stdout.write(f"catalog: {count} products")
    return {
        "products": count,
        "list_path": listing,
        "search_path": f"{listing}?{urlencode({'q': SEARCH})}",
        "detail_path": middle.get_absolute_url(),
        # What the first catalog page's stock poller asks for.
        "poll_path": f"{reverse('catalog:stock_poll')}?ids={','.join(map(str, first_page))}",
    }
