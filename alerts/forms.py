from django import forms


class VisitorSubscribeForm(forms.Form):
    """A visitor's "E-mail me when it's back": where to write. The link mailed there confirms."""

    email = forms.EmailField(
        label="Your e-mail address",
        max_length=254,
        error_messages={
            "required": "Enter your e-mail address.",
            "invalid": "Enter a valid e-mail address, like name@example.com.",
            "max_length": "That e-mail address is too long.",
        },
    )
