"""Practice: question bank, probes, drill sessions, delivery metrics and speech backends."""
