"""Claims from a processed Doc, read two ways and merged.

- `surface`: token-sequence patterns (rules/core.yaml) over a Doc whose entities are merged;
- `syntax_rules` with `syntax_paths`: grammatical relations read off the dependency parse
  (rules/syntax.yaml), on the sentences the parser saw;
- `coordination`, `polarity` (negation and hedging), `context` and `roles` serve both;
- `extract` runs both readers, lets the parse decide argument roles where both fire, and
  turns what they found into `Claim` values.
"""

from claimminer.claims.extract import extract_claims
from claimminer.claims.surface import RuleMatcher

__all__ = ["RuleMatcher", "extract_claims"]
