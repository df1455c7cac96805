"""Errors whose message is written for the person using the app, not for a developer."""


class UserFacingError(Exception):
    """Raised with one plain-English sentence that can be shown as it is."""

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else "Something went wrong."


class InputError(UserFacingError):
    """What was typed cannot be saved as it is."""
