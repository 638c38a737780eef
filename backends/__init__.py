"""Backend adapters: one small module per array library."""
