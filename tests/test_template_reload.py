"""Templates are read once per process unless TEMPLATE_RELOAD asks for changes on disk to show."""

from pathlib import Path

from jinja2 import DictLoader

from app.main import create_app
from app.settings import Settings
from app.web import templates


def test_a_changed_template_shows_only_with_template_reload(settings: Settings, tmp_path: Path) -> None:
    loader = templates.env.loader
    try:
        for reload, expected in ((False, "prima"), (True, "dopo")):
            create_app(settings.model_copy(update={"template_reload": reload}))
            source = {"probe.txt": "prima"}
            templates.env.loader = DictLoader(source)
            templates.env.cache.clear()
            assert templates.env.get_template("probe.txt").render() == "prima"
            source["probe.txt"] = "dopo"
            assert templates.env.get_template("probe.txt").render() == expected
    finally:
        templates.env.loader = loader
        templates.env.cache.clear()
        templates.env.auto_reload = False
