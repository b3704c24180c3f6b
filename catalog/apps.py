from django.apps import AppConfig, apps


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
