"""Running Loa for a campaign year: backups and restore, the instance lock, health checks,
``loa doctor`` and log formatting. Nothing here runs on the event loop: callers use threads."""
