"""YAML and Markdown sources -> validated models: reading files safely, the models of every kind, translations."""
