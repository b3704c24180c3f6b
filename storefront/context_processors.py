from .pagecache import CSRF_SLOT, is_cache_pass


class SharedUser:
    """The `user` templates see while a page renders for the shared cache.

    It says whether someone is signed in, and nothing else: anything more ({{ user.email }},
    the username) renders empty, so it cannot end up in a copy another shopper is served.
    """

    def __init__(self, is_authenticated: bool):
        self.is_authenticated = is_authenticated
        self.is_anonymous = not is_authenticated

    def __getattr__(self, name):
        return ""

    def __str__(self):
        return ""


def page_cache(request) -> dict:
    """While a page renders for the shared cache: a CSRF slot to fill later, a stand-in user.

    Listed after Django's auth and csrf processors, whose `user` and `csrf_token` it
    overrides on those renders only.
    """
    if not is_cache_pass(request):
        return {}
    return {"csrf_token": CSRF_SLOT, "user": SharedUser(request.user.is_authenticated)}
