"""cobrapy analyses, one module per concern; each registers its tools on import."""
