"""What the application reads from and writes to its database, as the core's plain values."""
