"""Pure investment logic: positions, weights, valuation and buy conditions. No Textual, no I/O."""
