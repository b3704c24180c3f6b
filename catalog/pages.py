"""The catalog's pages cached whole (pagecache): the product lists, the categories' pages and
the product pages show products, their pictures and the categories' menu."""

from pagecache.pages import Pages

catalog = Pages("catalog", shows=["catalog.Product", "catalog.ProductImage", "catalog.Category"])
