"""What the catalog tells search engines about a product (schema.org `Product`)."""

from django.conf import settings

from .models import Product

SCHEMA_AVAILABILITY = {
    "sold_out": "https://schema.org/OutOfStock",
    "low": "https://schema.org/LimitedAvailability",
    "in_stock": "https://schema.org/InStock",
}


def availability(product: Product) -> str:
    """The schema.org availability that matches the product's stock badge."""
    if product.is_sold_out:
        return SCHEMA_AVAILABILITY["sold_out"]
    if product.is_low_stock:
        return SCHEMA_AVAILABILITY["low"]
    return SCHEMA_AVAILABILITY["in_stock"]


def product_structured_data(product: Product) -> dict:
    """schema.org Product JSON-LD, with its price and availability read from the live row.

    The product page is cached and dropped whenever stock moves (catalog.receivers), so the
    offer a crawler reads changes together with the badge a shopper sees.
    """
    url = f"{settings.SITE_URL}{product.get_absolute_url()}"
    return {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": product.name,
        "description": product.description,
        "sku": product.slug,
        "url": url,
        "brand": {"@type": "Brand", "name": settings.SHOP_NAME},
        "offers": {
            "@type": "Offer",
            "url": url,
            "price": f"{product.price:.2f}",
            "priceCurrency": settings.CURRENCY,
            "availability": availability(product),
            "itemCondition": "https://schema.org/NewCondition",
        },
    }
