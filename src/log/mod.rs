//! Headless logging: JSON lines to rolling files (and optionally stdout).
