"""The API tokens page's form (the API itself reads JSON through app/api/schemas.py)."""

from pydantic import Field

from app.api.models import ApiToken
from app.forms import ColumnText, FormModel, Text
from app.i18n import N_


class TokenForm(FormModel):
    name: ColumnText(ApiToken, "name") = Field("", title=N_("Name"))
    scopes: list[Text(20)] = Field(default_factory=list, title=N_("Permissions"))
