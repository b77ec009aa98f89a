"""The public extract of a public declaration's dossier: what a visitor reads, downloads and can check.

The complete dossier names the signatories who chose "public" or "alliance and government", with who signed
for each organization; it went to the recipients and the alliance, and its SHA-256 is the one on the cover.
The extract names only the public ones, leaves out who signed for an organization, and counts the rest. Its
hash therefore differs from the dossier's, so its JSON says plainly that it is an extract, of which dossier
(by hash), and how many names it leaves out. Being a fixed function of the stored dossier, an uploaded
extract can still be checked: the site makes the extract again and compares."""

from app import permissions
from app.declarations.services import canonical_json, content_hash
from app.submissions.models import Submission

EXTRACT = "public"
# Named in the extract: what anyone may see named (permissions.signature_tiers of a visitor).
EXTRACT_TIERS = permissions.PUBLIC_TIERS
GROUPS = ("organizations", "individuals")
# Who signed for an organization, and in what role: for the alliance and government, not the public.
SIGNER_FIELDS = ("signer", "designation")
ABOUT = ("This is the public extract of a submission dossier, not the dossier itself. It names only the "
         "signatories who chose to be named publicly, and not who signed for each organization; the others are "
         "counted in signatories.unnamed, and 'withheld' says how many names of the complete dossier it leaves "
         "out. Nor does it name the organizations that took part in the consultation "
         "(consultation.organizations is empty; organization_count says how many). The complete dossier, "
         "whose SHA-256 is dossier_sha256, was given to the recipients and to the alliance. "
         "Check this file by uploading it to the site's /verify page.")
HASH_METHOD = ("extract_sha256 is the SHA-256 of the value of 'dossier' in this file written as JSON with sorted "
               "keys, no spaces and UTF-8 (Python: json.dumps(dossier, sort_keys=True, separators=(',', ':'), "
               "ensure_ascii=False).encode('utf-8')). dossier_sha256 is the same hash of the complete dossier, "
               "which this extract does not reproduce.")


def _public_entry(entry: dict, group: str) -> dict:
    if group != "organizations":
        return entry  # an individual's name and designation are what they chose to show
    return {key: value for key, value in entry.items() if key not in SIGNER_FIELDS}


def public_extract(content: dict) -> dict:
    """The dossier's content with only the public signatories named (without who signed for an
    organization); the others are added to the unnamed counts. Everything else is as submitted."""
    signatories = content["signatories"]
    extract = dict(signatories, unnamed=dict(signatories["unnamed"]))
    for group in GROUPS:
        named = [s for s in signatories[group] if s["visibility"] in EXTRACT_TIERS]
        extract["unnamed"][group] += len(signatories[group]) - len(named)
        extract[group] = [_public_entry(s, group) for s in named]
    # Taking part is counted, not named: an organization that commented without being published, or that
    # signed without wanting to be named, is not listed in public.
    consultation = dict(content["consultation"], organizations=[]) if "consultation" in content else None
    return dict(content, signatories=extract, **({"consultation": consultation} if consultation else {}))


def withheld(content: dict, extract: dict) -> dict:
    """How many names of the complete dossier the extract leaves out, per group."""
    return {group: extract["signatories"]["unnamed"][group] - content["signatories"]["unnamed"][group]
            for group in GROUPS}


def extract_json(submission: Submission) -> bytes:
    """The public extract as canonical JSON: says it is an extract, of which dossier, and what it leaves out."""
    content = submission.content
    extract = public_extract(content)
    return canonical_json({"extract": EXTRACT, "about": ABOUT, "dossier": extract,
                           "extract_sha256": content_hash(extract), "dossier_sha256": submission.sha256,
                           "withheld": withheld(content, extract), "hash_method": HASH_METHOD})


def is_extract_of(submission: Submission, computed: str) -> bool:
    """Whether computed is the hash of this submission's public extract, made again now."""
    return content_hash(public_extract(submission.content)) == computed
