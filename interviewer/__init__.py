"""AI interview coach for senior engineers."""
