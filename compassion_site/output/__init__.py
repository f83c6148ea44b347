"""Built HTML -> published site: the security policy, the verifier, the search index, the swap into site/."""
