"""Templates `pmo-rules init` copies into a new governance repository (`dot-x` is `.x`)."""
