"""The file mkdocs.yml's `hooks:` names: MkDocs loads hooks by file path, so this one only hands
over to the MkDocs adapter, `compassion_site/mkdocs_adapter/hooks.py`, where every event lives."""
from compassion_site.mkdocs_adapter.hooks import (  # noqa: F401 - MkDocs looks these names up here
    on_build_error,
    on_config,
    on_env,
    on_files,
    on_nav,
    on_page_context,
    on_page_markdown,
    on_post_build,
)
