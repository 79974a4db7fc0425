"""Command-line interface: thin adapters over the service layer and the core."""
