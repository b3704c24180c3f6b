from django.apps import AppConfig, apps
from django.db.models.signals import post_delete, post_save


class CatalogConfig(AppConfig):
    name = "catalog"

    def ready(self):
        # Checkout's contract is its signals module; its model is named through the app
        # registry, so the catalog imports nothing else of checkout.
        from checkout.signals import order_cancelled, order_confirmed

        from . import receivers

        Order = apps.get_model("checkout", "Order")
        order_confirmed.connect(
            receivers.take_stock, sender=Order, dispatch_uid="catalog.take_stock"
        )
        order_cancelled.connect(
            receivers.put_stock_back, sender=Order, dispatch_uid="catalog.put_stock_back"
        )
        # Products, their pictures and the categories of the menu are on every catalog page.
        for model in ("Product", "ProductImage", "Category"):
            for signal in (post_save, post_delete):
                signal.connect(
                    receivers.forget_catalog_pages,
                    sender=f"catalog.{model}",
                    dispatch_uid="catalog.forget_catalog_pages",
                )
