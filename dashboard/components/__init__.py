"""Pure builders: frames in, figures and Dash components out.  No database access here."""
