"""The scoring rules: pure functions over exact decimals."""
