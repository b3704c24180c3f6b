"""Product pictures: uploads in the admin, their checks, their renditions, how pages show them."""

import io
import os
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from catalog.models import Product, ProductImage

from .factories import ProductFactory, ProductImageFactory, picture_bytes, picture_upload

pytestmark = pytest.mark.django_db

ADD_PRODUCT = reverse("admin:catalog_product_add")


def product_form(**fields):
    return {
        "name": "Enamel Camp Mug",
        "slug": "enamel-camp-mug",
        "description": "Speckled.",
        "price": "14.00",
        "quantity": "5",
        "image_alt": "",
        "gallery-TOTAL_FORMS": "0",
        "gallery-INITIAL_FORMS": "0",
        "gallery-MIN_NUM_FORMS": "0",
        "gallery-MAX_NUM_FORMS": "1000",
        **fields,
    }


def stored_files(settings) -> list[str]:
    return [
        os.path.relpath(os.path.join(folder, name), settings.MEDIA_ROOT)
        for folder, _, names in os.walk(settings.MEDIA_ROOT)
        for name in names
    ]


def test_an_uploaded_picture_is_stored_with_its_size_and_cut_into_renditions_once(
    admin_client, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            ADD_PRODUCT, product_form(image=picture_upload("mug.png", size=(800, 600)))
        )

    assert response.status_code == 302, response.context["adminform"].errors
    product = Product.objects.get()
    assert (product.image_width, product.image_height) == (800, 600)
    files = stored_files(settings)
    assert "products/mug.png" in files
    # Square AVIF and WebP renditions, every width the grid can ask for up to the original's.
    avif = sorted(f for f in files if f.endswith(".avif"))
    webp = sorted(f for f in files if f.endswith(".webp"))
    assert avif and len(avif) == len(webp)
    with Image.open(settings.MEDIA_ROOT / avif[0]) as rendition:
        assert rendition.width == rendition.height

    # Showing the product again and again makes nothing new.
    for _ in range(3):
        admin_client.get("/")
        admin_client.get(product.get_absolute_url())
    assert stored_files(settings) == files


def fields_errors(response) -> str:
    return " ".join(str(error) for error in response.context["adminform"].errors.values())


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("mug.png", b"not a picture at all", content_type="image/png"),
            "Upload a valid image",
        ),
        (
            SimpleUploadedFile("mug.png", picture_bytes()[:200], content_type="image/png"),
            "Upload a valid image",
        ),
        (picture_upload("mug.png", size=(4001, 300)), "maximum resolution is: 4000x4000 px"),
        (picture_upload("mug.png", size=(300, 150)), "minimum resolution is: 200x200 px"),
        (
            SimpleUploadedFile("mug.gif", picture_bytes(format="GIF"), content_type="image/gif"),
            "“gif” files are not accepted",
        ),
        (
            SimpleUploadedFile("mug.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
            "Upload a valid image",
        ),
    ],
    ids=["text", "truncated", "too-wide", "too-small", "gif", "svg"],
)
def test_a_bad_upload_is_refused_with_a_reason_and_nothing_is_stored(
    admin_client, settings, upload, message
):
    response = admin_client.post(ADD_PRODUCT, product_form(image=upload))

    assert response.status_code == 200
    assert message in fields_errors(response)
    assert not Product.objects.exists()
    assert stored_files(settings) == []


def test_a_picture_over_five_megabytes_is_refused(admin_client, settings):
    # Random pixels do not compress: a real PNG of about 6 MB.
    noise = Image.frombytes("RGB", (1450, 1450), os.urandom(1450 * 1450 * 3))
    buffer = io.BytesIO()
    noise.save(buffer, format="PNG")
    upload = SimpleUploadedFile("noise.png", buffer.getvalue(), content_type="image/png")

    response = admin_client.post(ADD_PRODUCT, product_form(image=upload))

    limit = r"This file is 6\.\d\sMB; a picture can be at most 5\.0\sMB"
    assert re.search(limit, fields_errors(response))
    assert not Product.objects.exists()
    assert stored_files(settings) == []


def test_a_bad_gallery_picture_stops_the_whole_save(admin_client, settings):
    form = product_form(
        image=picture_upload("mug.png"),
        **{
            "gallery-TOTAL_FORMS": "1",
            "gallery-0-image": SimpleUploadedFile("side.png", b"nope", content_type="image/png"),
            "gallery-0-alt": "The mug from the side",
            "gallery-0-position": "0",
        },
    )

    response = admin_client.post(ADD_PRODUCT, form)

    assert response.status_code == 200
    gallery = response.context["inline_admin_formsets"][0].formset
    assert "Upload a valid image" in str(gallery.errors)
    assert not Product.objects.exists() and not ProductImage.objects.exists()
    assert stored_files(settings) == []


def test_the_admin_previews_a_products_pictures(admin_client):
    product = ProductFactory(pictured=True, image_alt="A speckled mug")
    ProductImageFactory(product=product, alt="From the side")

    html = admin_client.get(reverse("admin:catalog_product_change", args=[product.pk])).content
    listing = admin_client.get(reverse("admin:catalog_product_changelist")).content

    assert re.search(rb'<img src="/media/products/[^"]+/1/\d+w\.webp" alt="A speckled mug"', html)
    assert b'alt="From the side"' in html
    assert b'width="48" height="48"' in listing


def test_cards_show_responsive_square_pictures_the_first_eager_the_rest_lazy(client):
    ProductFactory.create_batch(3, pictured=True)

    html = client.get("/").content.decode()

    pictures = re.findall(r"<picture>.*?</picture>", html, re.S)
    assert len(pictures) == 3
    for picture in pictures:
        assert '<source type="image/avif"' in picture
        assert '<source type="image/webp"' in picture
        assert re.search(r'srcset="[^"]*/media/products/[^" ]+/1/110w\.avif 110w', picture)
        assert (
            'sizes="(min-width: 0px) and (max-width: 991px) 50vw, '
            "(min-width: 992px) and (max-width: 1199px) 33vw, "
        ) in picture
        assert 'width="300" height="300"' in picture
    assert 'fetchpriority="high"' in pictures[0] and 'loading="lazy"' not in pictures[0]
    assert all('loading="lazy"' in picture for picture in pictures[1:])


def test_alt_text_defaults_to_the_product_name(client):
    ProductFactory(name="Camp Mug", pictured=True)
    ProductFactory(name="Tea Towel", pictured=True, image_alt="A folded linen towel")

    html = client.get("/").content.decode()

    assert 'alt="Camp Mug"' in html
    assert 'alt="A folded linen towel"' in html


def test_the_product_page_shows_the_gallery_with_its_alt_texts(client):
    product = ProductFactory(name="Camp Mug", pictured=True)
    ProductImageFactory(product=product, alt="The mug from above", position=2)
    ProductImageFactory(product=product, alt="", position=1)

    html = client.get(product.get_absolute_url()).content.decode()

    gallery = html[html.index('aria-label="More pictures"') :]
    assert gallery.index('alt="Camp Mug"') < gallery.index('alt="The mug from above"')
    assert gallery.count('loading="lazy"') == 2


def test_a_product_without_a_picture_shows_a_placeholder_not_a_broken_image(client):
    ProductFactory(name="Mug")

    html = client.get("/").content.decode()

    assert "<picture" not in html
    assert 'class="product-picture product-picture-missing" aria-hidden="true">M<' in html


def test_media_files_are_served_with_caching_and_the_site_policy(client, settings):
    product = ProductFactory(pictured=True)

    response = client.get(product.image.url)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert "max-age=86400" in response["Cache-Control"]
    assert "img-src 'self'" in response["Content-Security-Policy"]
    assert client.get("/media/../manage.py").status_code in (400, 404)
    assert client.get("/media/%2e%2e/manage.py").status_code in (400, 404)
    assert client.get("/media/products/nothing-here.png").status_code == 404


def test_a_picture_change_reaches_cached_pages(client):
    product = ProductFactory(name="Camp Mug")
    client.get("/")

    product.image.save("mug.png", picture_upload("mug.png"))

    assert b"<picture" in client.get("/").content
