from django.conf import settings


def shop(request) -> dict:
    """What every page says about the shop: its name, address and terms (footer, meta tags).

    Settings only: the same for every visitor, so safe in pages shared through the cache.
    """
    return {
        "shop": {
            "name": settings.SHOP_NAME,
            "description": settings.SHOP_DESCRIPTION,
            "url": settings.SITE_URL,
            "shipping_rate": settings.SHIPPING_FLAT_RATE,
            "free_shipping_from": settings.FREE_SHIPPING_THRESHOLD,
            "tax_name": settings.TAX_NAME,
            "tax_rate": settings.TAX_RATE,
        }
    }
