"""Warning rules: definitions, set-based classification, alerts, actions, preview."""
