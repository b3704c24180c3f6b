"""Demo products for `manage.py seed_demo`: varied prices, plenty in stock, some low, some gone,
filed in categories, each with a picture.

The pictures are Microsoft's Fluent Emoji 3D renders (MIT licence) from the npm package
`@lobehub/fluent-emoji-3d` 1.1.0, one chosen for each product and kept in `demo_images/`
under the product's slug (see demo_images/README.md): nothing is fetched at run time.
"""

from decimal import Decimal
from pathlib import Path

from django.core.files import File
from django.template.defaultfilters import pluralize
from django.utils.text import slugify

from .models import Category, Product

IMAGES = Path(__file__).resolve().parent / "demo_images"

# Top-level categories and their children, in menu order.
CATEGORIES = {
    "Kitchen": ["Cookware", "Knives & Tools", "Coffee & Tea"],
    "Table": ["Tableware", "Linens"],
    "Home & Garden": ["Living", "Garden", "Bags & Storage"],
}

# (name, price, units in stock, category, description): a table reads best one product a line.
# fmt: off
PRODUCTS = [
    ("Enamel Camp Mug", "14.00", 42, "Coffee & Tea", "A speckled enamel mug that shrugs off campfires and dishwashers alike."),
    ("Linen Tea Towel", "9.50", 120, "Linens", "Stonewashed linen, soft from the first use and quick to dry."),
    ("Cast Iron Skillet", "48.00", 3, "Cookware", "A 26 cm pre-seasoned skillet that will outlive its owner."),
    ("Beeswax Candle Pair", "18.00", 0, "Living", "Hand-poured beeswax tapers with a warm honey scent."),
    ("Walnut Cutting Board", "64.00", 7, "Knives & Tools", "End-grain American walnut, oiled and ready for the kitchen."),
    ("Ceramic Pour-Over", "32.00", 15, "Coffee & Tea", "A glazed stoneware dripper for a slow, clean cup of coffee."),
    ("Wool Throw Blanket", "89.00", 2, "Living", "Lambswool woven in a mill that has been running since 1837."),
    ("Glass Storage Jar", "12.00", 64, "Bags & Storage", "Borosilicate glass with a bamboo lid and a silicone seal."),
    ("Copper Watering Can", "56.00", 0, "Garden", "A slim spout for houseplants, brass fittings, lacquered copper."),
    ("Cotton Canvas Tote", "22.00", 85, "Bags & Storage", "Heavy 16 oz canvas with leather handles. Carries a week of groceries."),
    ("Stoneware Dinner Plate", "19.00", 30, "Tableware", "Reactive glaze in sea-green; every plate comes out a little different."),
    ("Chef's Knife", "120.00", 5, "Knives & Tools", "A 20 cm knife in Japanese steel with a balanced pakkawood handle."),
    ("Bamboo Utensil Set", "16.00", 48, "Knives & Tools", "Spoon, spatula and turner, carved from a single piece of bamboo."),
    ("French Press", "38.00", 9, "Coffee & Tea", "Eight cups, a double stainless filter and a borosilicate carafe."),
    ("Olive Wood Spoon", "11.00", 1, "Knives & Tools", "A hand-carved spoon from pruned Tunisian olive branches."),
    ("Herb Planter Box", "27.00", 14, "Garden", "Three pots in a cedar tray for basil, thyme and rosemary on the sill."),
    ("Recycled Glass Tumbler", "8.00", 200, "Tableware", "Chunky tumblers blown from recycled bottles. Sold individually."),
    ("Marble Mortar & Pestle", "34.00", 4, "Knives & Tools", "White Carrara marble, heavy enough to stay put while you grind."),
    ("Market Basket", "42.00", 11, "Bags & Storage", "Woven seagrass with a sturdy leather handle."),
    ("Salt Cellar", "15.00", 0, "Tableware", "An acacia-wood salt box with a swivel lid, magnet-closed."),
    ("Espresso Cups, Set of 4", "29.00", 22, "Coffee & Tea", "Thick-walled porcelain cups that keep a shot hot."),
    ("Apron, Waxed Cotton", "46.00", 6, "Linens", "Waxed canvas with brass rivets, adjustable neck strap and two pockets."),
    ("Tea Kettle", "68.00", 12, "Cookware", "A whistling stainless kettle for gas, electric and induction hobs."),
    ("Spice Tin Set", "24.00", 5, "Knives & Tools", "Six magnetic tins with clear lids and a steel wall plate."),
    ("Pasta Drying Rack", "31.00", 18, "Cookware", "A beech rack that folds flat once the tagliatelle is dry."),
    ("Cloth Napkins, Set of 6", "26.00", 0, "Linens", "Washed cotton napkins in muted earth tones."),
    ("Butter Dish", "21.00", 37, "Tableware", "A stoneware dish with a lid that keeps butter soft and covered."),
    ("Dish Brush", "7.50", 90, "Knives & Tools", "Tampico fibres and a replaceable beech head. No plastic."),
    ("Bread Knife", "58.00", 8, "Knives & Tools", "A serrated 23 cm blade that cuts through crusts without crushing crumb."),
    ("Picnic Blanket", "74.00", 3, "Living", "A water-resistant backing and a wool top; rolls up with a leather strap."),
]
# fmt: on


def seed(*, stdout) -> None:
    categories = _seed_categories()
    created = pictured = 0
    for name, price, quantity, category, description in PRODUCTS:
        slug = slugify(name)
        product, was_created = Product.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "price": Decimal(price),
                "quantity": quantity,
                "category": categories[category],
                "description": description,
            },
        )
        created += was_created
        # Demo products from before categories and pictures existed get theirs now; a
        # category or picture someone chose since is left alone.
        if product.category_id is None:
            product.category = categories[category]
            product.save(update_fields=["category", "updated_at"])
        # (Or whose file is gone: a fresh checkout keeps the database but not media/.)
        if not product.image or not product.image.storage.exists(product.image.name):
            with (IMAGES / f"{slug}.webp").open("rb") as picture:
                product.image.save(f"{slug}.webp", File(picture))
            pictured += 1
    stdout.write(
        f"catalog: {created} products added, {len(PRODUCTS) - created} already there; "
        f"{pictured} picture{pluralize(pictured)} added."
    )


def _seed_categories() -> dict[str, Category]:
    categories = {}
    for position, (name, children) in enumerate(CATEGORIES.items()):
        parent, _ = Category.objects.get_or_create(
            slug=slugify(name), defaults={"name": name, "position": position}
        )
        for child_position, child in enumerate(children):
            categories[child], _ = Category.objects.get_or_create(
                slug=slugify(child),
                defaults={"name": child, "parent": parent, "position": child_position},
            )
    return categories
