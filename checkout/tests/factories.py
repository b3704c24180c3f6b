from decimal import Decimal

import factory

from accounts.tests.factories import UserFactory
from catalog.tests.factories import ProductFactory
from checkout.models import Cart, CartItem, Order, OrderLine
from checkout.pricing import amounts_for

# A shipping address, as the checkout form takes it and as orders keep it.
SHIPPING = {
    "shipping_name": "Ada Lovelace",
    "address_line1": "12 St James's Square",
    "address_line2": "",
    "city": "London",
    "postal_code": "SW1Y 4JH",
    "country": "GB",
}


class CartFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cart


class CartItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CartItem

    cart = factory.SubFactory(CartFactory)
    product = factory.SubFactory(ProductFactory)
    quantity = 1


class OrderFactory(factory.django.DjangoModelFactory):
    """A placed order. `lines={product: quantity, ...}` adds lines at the product's price,
    and the money lines are worked out as order_place does."""

    class Meta:
        model = Order
        skip_postgeneration_save = True

    customer = factory.SubFactory(UserFactory)
    currency = "USD"
    subtotal = Decimal("0.00")
    shipping = Decimal("0.00")
    tax = Decimal("0.00")
    tax_rate = Decimal("20")
    total_price = Decimal("0.00")
    shipping_name = SHIPPING["shipping_name"]
    address_line1 = SHIPPING["address_line1"]
    city = SHIPPING["city"]
    postal_code = SHIPPING["postal_code"]
    country = SHIPPING["country"]

    @factory.post_generation
    def lines(order, create, extracted, **kwargs):
        if not extracted:
            return
        for product, quantity in extracted.items():
            OrderLine.objects.create(
                order=order,
                product=product,
                product_name=product.name,
                quantity=quantity,
                unit_price=product.price,
            )
        fields = amounts_for(sum(line.line_total for line in order.lines.all())).order_fields()
        for name, value in fields.items():
            setattr(order, name, value)
        order.save(update_fields=list(fields))
