"""Channel adapters: translate platform updates to ``Incoming`` and send ``Reply``."""
