"""The blog's pages cached whole (pagecache): the index with its comment counts, and the posts
with their comments."""

from pagecache.pages import Pages

blog = Pages("blog", shows=["blog.Post", "blog.Comment"])
