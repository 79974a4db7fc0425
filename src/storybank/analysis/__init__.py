"""The pure analyzer: text in, Report out. No I/O, no clock, deterministic."""
