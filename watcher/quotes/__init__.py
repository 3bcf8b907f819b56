"""Quote providers behind one protocol, sharing one HTTP client."""
