"""Passwords: common and guessable ones are refused with a reason in the reader's language; long ones are
welcome (up to 200 characters)."""
import pytest

from app.accounts.services import check_password_rules
from app.errors import RuleError
from tests.accounts.test_reset import reset_link

COMMON = ["password123", "qwertyuiop", "1234567890", "iloveyou123", "Pakistan2024", "Password@123",
          "islamabad123", "football12", "abc123abc123", "letmein2020"]
STRONG = ["a long new password", "monsoon rickshaw ledger 19", "tea with cardamom at the union office",
          "x" * 3 + "Gq7!pL2#vR9@" + "k" * 5, "w" * 40 + " seven distinct words make a phrase " + "z" * 20]


@pytest.mark.parametrize("password", COMMON)
def test_common_and_guessable_passwords_are_refused(password):
    with pytest.raises(RuleError, match="too common or too easy to guess"):
        check_password_rules(password)


@pytest.mark.parametrize("password", STRONG)
def test_long_or_unusual_passwords_are_accepted(password):
    check_password_rules(password)
    assert len(STRONG[-1]) > 64  # no upper limit below 64 characters


def test_ones_own_name_and_address_make_a_weak_password():
    check_password_rules("ShabanaRahimtoola")  # an unusual name, for someone else
    with pytest.raises(RuleError):
        check_password_rules("ShabanaRahimtoola", ("shabana.rahimtoola@example.org", "Shabana Rahimtoola"))


@pytest.mark.parametrize("language, words", [("en", "too common or too easy to guess"), ("ur", "عام")])
def test_the_reset_form_says_why_in_the_readers_language(app, client, people, mailbox, language, words):
    client.post("/reset", data={"email": people["member"].email})
    link = reset_link(mailbox, people["member"].email)
    client.post("/language", data={"language": language, "next": link})
    response = client.post(link, data={"password": "Password@123", "confirm": "Password@123"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and words in page
