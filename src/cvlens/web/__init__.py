"""The web page served at `/`: static HTML, CSS and ES modules over the JSON API (no build step)."""
