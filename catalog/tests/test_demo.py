from io import StringIO

import pytest
from django.core.management import call_command

from catalog.models import Product

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent_and_has_low_and_sold_out_stock(settings):
    call_command("seed_demo", stdout=StringIO())
    first = Product.objects.count()
    output = StringIO()
    call_command("seed_demo", stdout=output)

    assert Product.objects.count() == first >= 24
    assert "catalog: 0 products added" in output.getvalue()
    assert Product.objects.filter(quantity=0).exists()
    low = settings.LOW_STOCK_THRESHOLD
    assert Product.objects.filter(quantity__gt=0, quantity__lte=low).exists()
    assert Product.objects.values("price").distinct().count() > 10


def test_seed_demo_files_every_product_with_a_picture_and_a_category(
    django_capture_on_commit_callbacks, settings
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=StringIO())

    products = Product.objects.select_related("category__parent")
    assert all(product.category and product.category.parent for product in products)
    assert all(product.image_width == product.image_height == 256 for product in products)
    # The renditions exist: every card's srcset points at real files.
    skillet = products.get(slug="cast-iron-skillet")
    for rendition in skillet.image.aspect_ratios["1/1"]["AVIF"].values():
        assert (settings.MEDIA_ROOT / rendition.name).is_file()


def test_seed_demo_puts_back_a_picture_whose_file_is_gone(settings):
    call_command("seed_demo", stdout=StringIO())
    (settings.MEDIA_ROOT / "products" / "salt-cellar.webp").unlink()
    output = StringIO()

    call_command("seed_demo", stdout=output)

    assert "1 picture added" in output.getvalue()
    salt_cellar = Product.objects.get(slug="salt-cellar")
    assert salt_cellar.image.storage.exists(salt_cellar.image.name)
