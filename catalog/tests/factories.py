from decimal import Decimal

import factory

from catalog.models import Product


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    name = factory.Sequence(lambda n: f"Product {n:04d}")
    slug = factory.Sequence(lambda n: f"product-{n:04d}")
    description = "A useful thing for the home."
    price = Decimal("10.00")
    quantity = 20
