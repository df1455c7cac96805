"""The fictional demo organisation: clearly made-up services, people and records for trying
the app, and larger made-up data for measuring it. Built only through core's own operations."""
