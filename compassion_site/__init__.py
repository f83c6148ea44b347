"""The content pipeline of the compassion site.

YAML and Markdown go in; validated models, rendered Markdown pages and the crisis
furniture come out; a verifier checks the built HTML. Nothing here imports MkDocs,
so the pipeline and the safety checks outlive whichever engine renders the theme.
"""
