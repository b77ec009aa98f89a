import pytest


@pytest.fixture
def signon(make_declaration):
    """A public declaration in sign-on (version 3), with two sections and three recommendations."""
    return make_declaration("signon", visibility="public")
