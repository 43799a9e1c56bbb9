from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter

from crowdsci.core.email import email_enqueue_on_commit


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Render allauth's message here, send it from the task worker after the transaction commits."""
        message = self.render_mail(template_prefix, email, context)
        html_body = ""
        for content, mimetype in getattr(message, "alternatives", []):
            if mimetype == "text/html":
                html_body = content
        email_enqueue_on_commit(subject=message.subject, body=message.body, to=list(message.to), html_body=html_body)
