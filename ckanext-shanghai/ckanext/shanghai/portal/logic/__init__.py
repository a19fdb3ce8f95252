"""Actions, auth functions and validators of the shanghai plugin."""
