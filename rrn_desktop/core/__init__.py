"""What the app does, as operations on the data file: no Qt here, so all of it runs headless."""
