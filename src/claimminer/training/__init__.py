"""Training code for claimminer's own models, kept apart from the run-time pipeline.

`treebank` reads and reconciles dependency treebanks, `corpus` writes the fixed training
split as spaCy DocBins, `syntax` runs spaCy's training loop on the config in `configs/`.
"""
