"""Gates: rules every page must pass before anything is rendered (safe language, reading level, contrast, addresses)."""
