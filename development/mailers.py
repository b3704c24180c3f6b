"""The development mailer: Django's console backend, printing mail a person can read and use.

Django's console backend prints each message as it would hand it to a mail server, composed
under the default policy's 78-character lines. A text body with a longer line, and every
password-reset link is one, is then quoted-printable: the link comes out cut in two with an
`=`, and a newcomer who copies it from the terminal gets a 404.
"""

import email.policy

from django.core.mail.backends import console

# RFC 5322 asks for lines of at most 78 characters but allows 998. Composed with that limit,
# text bodies keep their lines as written (7bit, or 8bit UTF-8) instead of being
# quoted-printable or base64, and headers carry UTF-8 as it is instead of encoded words. The
# message stays a valid one, just not the most cautious one to send.
READABLE = email.policy.default.clone(max_line_length=998, utf8=True)


class ConsoleEmailBackend(console.EmailBackend):
    """Django's console backend, writing each message composed to be read rather than sent."""

    def write_message(self, message):
        text = message.message(policy=READABLE).as_bytes().decode()
        self.stream.write(f"{text}\n{'-' * 79}\n")
