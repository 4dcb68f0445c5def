"""ModelSEED tools: biochemistry lookups, media library, draft models from genomes, gapfilling.

Everything runs offline on the data shipped in ``fluxagent/data/modelseed``. modelseedpy is
imported lazily (it is slow to import and prints to stdout), only by the tools that build or
gapfill models; lookups use a SQLite index built once from the shipped tables.
"""
