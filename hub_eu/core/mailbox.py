"""Reading the development mailbox written by hub_eu.mail.MailboxBackend."""

from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

from django.conf import settings


@dataclass(frozen=True)
class StoredMail:
    key: str
    message: EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"] or "")

    @property
    def to(self) -> str:
        return str(self.message["To"] or "")

    @property
    def date(self) -> str:
        return str(self.message["Date"] or "")

    @property
    def text(self) -> str:
        part = self.message.get_body(preferencelist=("plain",))
        return part.get_content() if part else ""

    @property
    def html(self) -> str:
        part = self.message.get_body(preferencelist=("html",))
        return part.get_content() if part else ""


def _parse(path: Path) -> StoredMail:
    with path.open("rb") as fh:
        message = BytesParser(policy=policy.default).parse(fh)
    return StoredMail(key=path.stem, message=message)


def mailbox_list(*, limit: int = 200) -> list[StoredMail]:
    folder = Path(settings.MAILBOX_DIR)
    if not folder.exists():
        return []
    paths = sorted(folder.glob("*.eml"), reverse=True)[:limit]
    return [_parse(path) for path in paths]


def mailbox_get(*, key: str) -> StoredMail | None:
    folder = Path(settings.MAILBOX_DIR)
    path = folder / f"{key}.eml"
    if "/" in key or ".." in key or not path.is_file():
        return None
    return _parse(path)
