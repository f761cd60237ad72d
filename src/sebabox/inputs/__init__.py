"""Reading plans: YAML and spreadsheets -> typed models (load), then domain rules (validate)."""
