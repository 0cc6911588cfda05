"""The case-study anonymiser against realistic personal data, much of it inside sentences (a table)."""

import pytest

from candour.reporting.anonymise import anonymise

KNOWN = ["Siân Llewelyn-Jones", "Robert Andrews"]

CASES = [
    # names: the complaint's own, after a title, after "my name is", and later mentions of those
    ("Siân Llewelyn-Jones wrote to us twice.", "[name] wrote to us twice."),
    ("We told Siân that her licence was ready.", "We told [name] that her licence was ready."),
    ("Robert Andrews's son called on her behalf.", "[name] son called on her behalf."),
    (
        "Mrs Okonkwo said Mrs Okonkwo's form was lost; Okonkwo rang again.",
        "[name] said [name] form was lost; [name] rang again.",
    ),  # noqa: E501
    ("Dr Patel wrote a supporting letter.", "[name] wrote a supporting letter."),
    ("My name is Tomasz Kowalski and I applied in spring.", "My name is [name] and I applied in spring."),
    ("Mr O'Brien and Ms McDonald-Hughes both called.", "[name] and [name] both called."),
    ("Mr Speaker was not involved.", "Mr Speaker was not involved."),
    # e-mail addresses
    ("Reply to jane.o'neill+vla@example.co.uk please.", "Reply to [email address] please."),
    # UK phone numbers
    ("Call me on 07700 900123 after six.", "Call me on [phone number] after six."),
    ("My mobile is 07700900123.", "My mobile is [phone number]."),
    ("Ring +44 7700 900123 or +44 (0)20 7946 0000.", "Ring [phone number] or [phone number]."),
    ("The office number is 020 7946 0000.", "The office number is [phone number]."),
    ("Landline: (01632) 960123.", "Landline: [phone number]."),
    ("Helpline 0300 123 4567 was engaged.", "Helpline [phone number] was engaged."),
    ("My number is 029-2018-0000.", "My number is [phone number]."),
    # National Insurance numbers, with and without spaces
    ("My NI number is AB 12 34 56 C.", "My NI number is [National Insurance number]."),
    ("NINO QQ123456C on file.", "NINO [National Insurance number] on file."),
    ("ni: ab123456d", "ni: [National Insurance number]"),
    # postcodes and street addresses
    ("I live at 12 Acacia Avenue, Cardiff CF10 1AB.", "I live at [address] [postcode]."),
    ("Send it to Flat 3, 27 High Street, Bangor LL57 1UT.", "Send it to [address] [postcode]."),
    ("The postcode SW1A 2AA was wrong.", "The postcode [postcode] was wrong."),
    ("Moved to 4b Station Road last year.", "Moved to [address] last year."),
    # dates of birth, and every other date generalised to month and year
    ("I was born on 3rd May 1985.", "I was born on [date of birth]."),
    ("DOB: 01/02/1980, please check.", "DOB: [date of birth], please check."),
    ("Her date of birth is 14 July 1962.", "Her date of birth is [date of birth]."),
    ("He was born in 1948 in Swansea.", "He was born in [date of birth] in Swansea."),
    ("We sent the letter on 12 March 2024.", "We sent the letter in March 2024."),
    ("On March 5, 2025 the payment failed.", "In March 2025 the payment failed."),
    ("The form dated 2024-04-05 was lost.", "The form dated April 2024 was lost."),
    ("Paid 05/11/23 and again on 6 November.", "Paid November 2023 and again in November."),
    # references
    ("About complaint VLA-2026-000123 and DPS-2025-004567.", "About complaint [reference] and [reference]."),
    # things that are not personal data stay
    ("The £25 fee was refunded within 10 working days.", "The £25 fee was refunded within 10 working days."),
    ("In 2024 we changed the process.", "In 2024 we changed the process."),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_anonymise(text, expected):
    assert anonymise(text, known_names=KNOWN) == expected


def test_a_whole_paragraph_keeps_no_personal_data():
    text = (
        "My name is Jane Smith (DOB 14/07/1962). I live at 12 Acacia Avenue, Cardiff CF10 1AB and my phone is "
        "07700 900123. On 3 January 2025 Mr Hughes told me my NI number AB 12 34 56 C was wrong. Email "
        "jane@example.com, quoting VLA-2026-000123."
    )
    out = anonymise(text)
    personal_data = (
        "Jane",
        "Smith",
        "1962",
        "Acacia",
        "CF10",
        "07700",
        "Hughes",
        "AB 12",
        "jane@",
        "000123",
        "3 January",
    )
    for personal in personal_data:
        assert personal not in out, personal
    assert "January 2025" in out


def test_given_references_are_removed_whatever_their_shape():
    assert anonymise("See PHSO ref C-123456.", references=["C-123456"]) == "See PHSO ref [reference]."


def test_empty_text():
    assert anonymise("") == ""
