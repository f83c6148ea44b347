"""The MkDocs adapter, the only code that knows MkDocs or Material: its config file, its hook events, its runs."""
