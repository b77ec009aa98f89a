"""How the demo's recommendations are classified (app/choices.py UNTOC_PROVISIONS, SDG_TARGETS, GROUPS), by their
place in each story's list. Keys only: the labels show in the reader's language, and a translation carries the
original's classification, so both languages of the bilingual declarations show the same."""

# (UNTOC provisions, SDG targets, groups concerned), in the order of declarations.RECOMMENDATIONS.
CONSULTATION = [
    (["tip", "tip-9"], ["8.7"], ["migrants"]),  # awareness of fraudulent job offers abroad
    (["som"], ["10.7"], ["migrants"]),  # regular migration channels
    (["untoc-31"], ["16.2"], ["children"]),  # online grooming and sextortion
    (["untoc-8"], ["16.5"], []),  # asset declarations at the border
    (["untoc-31"], ["16.4"], ["children"]),  # drug prevention with youth organizations
    (["firearms"], ["16.4"], []),  # firearms licence register
    (["untoc-7"], ["16.4"], []),  # beneficial ownership
    (["tip", "tip-9"], ["8.7", "10.7"], ["migrants", "bonded_labourers"]),  # overseas employment promoters
    (["tip", "tip-5"], ["8.7", "16.3"], []),  # anti-trafficking prosecution units
    (["som", "som-6", "untoc-6"], ["10.7", "16.4"], ["migrants"]),  # smuggling's financial networks
    (["untoc-6", "untoc-12"], ["16.4"], []),  # financial investigations
    (["untoc-8", "som"], ["16.5"], []),  # officials who facilitate smuggling
    (["untoc-20", "untoc-29"], ["16.a"], []),  # cybercrime forensic capacity
    (["firearms", "untoc-27"], ["16.4"], []),  # tracing seized firearms
    (["untoc-5", "untoc-20", "untoc-27"], ["16.4"], []),  # joint investigation teams against drug trafficking
    (["tip"], ["5.2", "8.7", "16.2"], ["women", "children"]),  # trafficking statistics by sex and age
    (["tip-6", "untoc-25"], ["8.7", "16.2"], ["victims_witnesses", "women", "children"]),  # referral mechanism
    (["tip", "tip-6"], ["8.7", "16.3"], ["victims_witnesses"]),  # non-punishment of victims
    (["untoc-24"], ["16.3", "16.a"], ["victims_witnesses"]),  # witness protection law
    (["som-16"], ["10.7", "16.3"], ["migrants"]),  # legal aid for returned migrants
    (["untoc-25"], ["5.2", "16.2"], ["victims_witnesses", "women", "children"]),  # helpline for online exploitation
    ([], [], []),  # drug treatment: outside the Convention and these targets
    (["untoc-12", "untoc-25"], ["16.3"], ["victims_witnesses"]),  # compensation from confiscated assets
    (["tip", "untoc-29"], ["8.7"], ["bonded_labourers", "children"]),  # forced labour in brick kilns
    ([], [], []),  # civil society in the review: about the process
    (["untoc-12", "untoc-18"], ["16.4"], []),  # asset recovery networks
    (["tip-9", "som-16"], ["8.7", "10.7"], ["migrants"]),  # memoranda on migrant workers
    ([], ["16.a"], []),  # the Budapest Convention
    (["firearms"], ["16.4"], []),  # reporting on the Firearms Protocol
    (["tip-6", "untoc-25"], ["16.3"], ["victims_witnesses", "women", "children"]),  # shelters and legal clinics
]

# In the order of submissions.RECOMMENDATIONS (migrant smuggling).
SUBMISSION = [
    (["som", "som-6", "untoc-27"], ["10.7", "16.4"], []),  # a joint cell on the Makran coast
    (["som", "som-16"], ["10.7", "16.3"], ["migrants", "victims_witnesses"]),  # smuggled people as witnesses
    (["som"], ["10.7"], ["migrants"]),  # campaigns on safe migration
    (["som", "untoc-6", "untoc-12"], ["16.4"], []),  # the proceeds of smuggling
    (["som-16"], ["10.7", "16.3"], ["migrants", "women", "children"]),  # shelters for returned people
    (["som"], ["10.7"], ["migrants"]),  # yearly statistics
    (["untoc-8", "som"], ["16.5"], []),  # officials who help smugglers
    ([], [], []),  # meetings with the alliance: about the follow-up itself
]

# In the order of signatures.RECOMMENDATIONS (the statement on trafficking survivors open for signature).
SIGNON = [
    (["tip-6", "untoc-25"], ["8.7", "16.2"], ["victims_witnesses", "women", "children"]),  # survivor-run shelters
    (["tip-6", "untoc-24"], ["16.3"], ["victims_witnesses"]),  # testimony by video link
    (["tip-5"], ["16.3"], []),  # trafficking cases decided within six months
    (["tip-6", "untoc-25"], ["16.3"], ["victims_witnesses"]),  # interim compensation
    (["tip"], ["8.7"], ["victims_witnesses"]),  # survivor organizations and the action plan
    (["tip", "tip-9"], ["8.7"], ["bonded_labourers"]),  # forced labour and debt bondage
]

# The draft set's one recommendation (declarations.draft_story).
DRAFT = (["untoc-24"], ["16.3"], ["victims_witnesses"])


def fields(row: tuple[list[str], list[str], list[str]]) -> dict[str, list[str]]:
    """A row above as the keyword arguments of declarations.services.add_recommendation."""
    untoc, sdg_targets, groups = row
    return {"untoc": untoc, "sdg_targets": sdg_targets, "groups": groups}
