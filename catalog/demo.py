"""Demo products for `manage.py seed_demo`: varied prices, plenty in stock, some low, some gone."""

from decimal import Decimal

from django.utils.text import slugify

from .models import Product

# (name, price, units in stock, description): a table reads best one product a line.
# fmt: off
PRODUCTS = [
    ("Enamel Camp Mug", "14.00", 42, "A speckled enamel mug that shrugs off campfires and dishwashers alike."),
    ("Linen Tea Towel", "9.50", 120, "Stonewashed linen, soft from the first use and quick to dry."),
    ("Cast Iron Skillet", "48.00", 3, "A 26 cm pre-seasoned skillet that will outlive its owner."),
    ("Beeswax Candle Pair", "18.00", 0, "Hand-poured beeswax tapers with a warm honey scent."),
    ("Walnut Cutting Board", "64.00", 7, "End-grain American walnut, oiled and ready for the kitchen."),
    ("Ceramic Pour-Over", "32.00", 15, "A glazed stoneware dripper for a slow, clean cup of coffee."),
    ("Wool Throw Blanket", "89.00", 2, "Lambswool woven in a mill that has been running since 1837."),
    ("Glass Storage Jar", "12.00", 64, "Borosilicate glass with a bamboo lid and a silicone seal."),
    ("Copper Watering Can", "56.00", 0, "A slim spout for houseplants, brass fittings, lacquered copper."),
    ("Cotton Canvas Tote", "22.00", 85, "Heavy 16 oz canvas with leather handles. Carries a week of groceries."),
    ("Stoneware Dinner Plate", "19.00", 30, "Reactive glaze in sea-green; every plate comes out a little different."),
    ("Chef's Knife", "120.00", 5, "A 20 cm knife in Japanese steel with a balanced pakkawood handle."),
    ("Bamboo Utensil Set", "16.00", 48, "Spoon, spatula and turner, carved from a single piece of bamboo."),
    ("French Press", "38.00", 9, "Eight cups, a double stainless filter and a borosilicate carafe."),
    ("Olive Wood Spoon", "11.00", 1, "A hand-carved spoon from pruned Tunisian olive branches."),
    ("Herb Planter Box", "27.00", 14, "Three pots in a cedar tray for basil, thyme and rosemary on the sill."),
    ("Recycled Glass Tumbler", "8.00", 200, "Chunky tumblers blown from recycled bottles. Sold individually."),
    ("Marble Mortar & Pestle", "34.00", 4, "White Carrara marble, heavy enough to stay put while you grind."),
    ("Market Basket", "42.00", 11, "Woven seagrass with a sturdy leather handle."),
    ("Salt Cellar", "15.00", 0, "An acacia-wood salt box with a swivel lid, magnet-closed."),
    ("Espresso Cups, Set of 4", "29.00", 22, "Thick-walled porcelain cups that keep a shot hot."),
    ("Apron, Waxed Cotton", "46.00", 6, "Waxed canvas with brass rivets, adjustable neck strap and two pockets."),
    ("Tea Kettle", "68.00", 12, "A whistling stainless kettle for gas, electric and induction hobs."),
    ("Spice Tin Set", "24.00", 5, "Six magnetic tins with clear lids and a steel wall plate."),
    ("Pasta Drying Rack", "31.00", 18, "A beech rack that folds flat once the tagliatelle is dry."),
    ("Cloth Napkins, Set of 6", "26.00", 0, "Washed cotton napkins in muted earth tones."),
    ("Butter Dish", "21.00", 37, "A stoneware dish with a lid that keeps butter soft and covered."),
    ("Dish Brush", "7.50", 90, "Tampico fibres and a replaceable beech head. No plastic."),
    ("Bread Knife", "58.00", 8, "A serrated 23 cm blade that cuts through crusts without crushing crumb."),
    ("Picnic Blanket", "74.00", 3, "A water-resistant backing and a wool top; rolls up with a leather strap."),
]
# fmt: on


def seed(*, stdout) -> None:
    created = 0
    for name, price, quantity, description in PRODUCTS:
        _, was_created = Product.objects.get_or_create(
            slug=slugify(name),
            defaults={
                "name": name,
                "price": Decimal(price),
                "quantity": quantity,
                "description": description,
            },
        )
        created += was_created
    stdout.write(f"catalog: {created} products added, {len(PRODUCTS) - created} already there.")
