from django import forms

from .models import COMMENT_MAX_LENGTH


class CommentForm(forms.Form):
    """A reader's comment; `blog.services.comment_create` saves it."""

    body = forms.CharField(
        label="Your comment",
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": COMMENT_MAX_LENGTH}),
        error_messages={"required": "Please write something before posting."},
    )

    def clean_body(self) -> str:
        # Browsers count a line break as one character against maxlength but send it as two
        # (CRLF): normalise, so whatever fitted in the box fits the limit.
        body = self.cleaned_data["body"].replace("\r\n", "\n")
        if len(body) > COMMENT_MAX_LENGTH:
            raise forms.ValidationError(
                f"Please keep comments to {COMMENT_MAX_LENGTH:,} characters "
                f"(this one has {len(body):,}).",
                code="max_length",
            )
        return body
