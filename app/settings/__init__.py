"""The alliance's settings, edited by admins: its name in English and Urdu, short name, contact address for
signers, the default lengths of consultation and sign-on, and the recipients' defaults."""
