from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "catalog"

    def ready(self):
        from checkout.models import Order
        from checkout.signals import order_cancelled, order_confirmed

        from . import receivers

        order_confirmed.connect(
            receivers.take_stock, sender=Order, dispatch_uid="catalog.take_stock"
        )
        order_cancelled.connect(
            receivers.put_stock_back, sender=Order, dispatch_uid="catalog.put_stock_back"
        )
