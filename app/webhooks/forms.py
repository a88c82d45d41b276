"""The webhook admin forms."""

from pydantic import Field

from app.forms import ColumnText, FormModel, Text
from app.i18n import N_
from app.webhooks.models import WebhookEndpoint


class EndpointForm(FormModel):
    url: ColumnText(WebhookEndpoint, "url") = Field("", title=N_("Address"))
    description: ColumnText(WebhookEndpoint, "description") = Field("", title=N_("Description"))
    events: list[Text(40)] = Field(default_factory=list, title=N_("Events"))


class ActiveForm(FormModel):
    active: Text(1) = ""
