"""Loa: the digital ward loudspeaker for the 2026 free health-check campaign."""
