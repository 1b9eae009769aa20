"""Case tracker for earthquake damage in Groningen's rented homes."""
