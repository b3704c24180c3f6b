import io
from decimal import Decimal

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from catalog.models import Category, Product, ProductImage


def picture_bytes(size=(300, 300), format="PNG", colour="teal") -> bytes:
    """A real picture, made with Pillow."""
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format=format)
    return buffer.getvalue()


def picture_upload(name="picture.png", **kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, picture_bytes(**kwargs), content_type="image/png")


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"Category {n:03d}")
    slug = factory.Sequence(lambda n: f"category-{n:03d}")


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    name = factory.Sequence(lambda n: f"Product {n:04d}")
    slug = factory.Sequence(lambda n: f"product-{n:04d}")
    description = "A useful thing for the home."
    price = Decimal("10.00")
    quantity = 20

    class Params:
        # ProductFactory(pictured=True): with a main picture (renditions follow the commit).
        pictured = factory.Trait(
            image=factory.django.ImageField(
                width=300, height=300, color="teal", format="PNG", filename="picture.png"
            )
        )


class ProductImageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductImage

    product = factory.SubFactory(ProductFactory)
    image = factory.django.ImageField(
        width=300, height=300, color="orange", format="PNG", filename="side.png"
    )
