"""Claims and networks in the formats of other tools: INDRA, NDEx/Cytoscape (CX2), BioC."""
