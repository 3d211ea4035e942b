"""Plan files and reports: each format one module of pure functions between Plan and text."""
