"""The hand-built set of submissions the scorecard's tests count, shared by the page's and the API's tests."""
import pytest

from app.extensions import db
from app.institutions.models import Institution
from tests.scorecards.builders import Story


@pytest.fixture
def story(app, people):
    return Story(app, people)


@pytest.fixture
def hand_built(story, people, make_user):
    """The ministry (the reviewer's institution) and the agency, and six submissions to the ministry."""
    s, ministry = story, people["reviewer"].institution_id
    agency = s.institution("Federal Investigation Agency", "FIA")
    one = s.submission([ministry, agency], submitted=s.at(100), acknowledged={ministry: s.at(90)},
                       deadlines={ministry: (s.day(86), s.day(10))},
                       items=[{"pillar": "prevent"}, {"pillar": "pursue"}, {"pillar": "protect"},
                              {"pillar": "promote"}, {"pillar": "prevent", "addressees": [agency]},
                              {"pillar": "prevent", "addressees": [agency]}])
    i1, i2, _i3, i4, i5, i6 = one["items"]
    s.answer(i1, ministry, "noted", s.at(50))  # on time; revised since (the position is the revision's)
    s.answer(i1, ministry, "supported", s.at(5), number=2)
    s.answer(i2, ministry, "not_supported", s.at(5))  # late
    s.answer(i4, ministry, "supported", None)  # a draft: still unanswered
    s.answer(i5, agency, "supported", s.at(50))  # the agency's, not the ministry's
    s.answer(i6, ministry, "supported", s.at(40))  # addressed to the agency, answered by the ministry all the same
    two = s.submission([ministry], submitted=s.at(30), acknowledged={ministry: s.at(10)},
                       deadlines={ministry: (s.day(16), s.day(-60))},
                       items=[{"pillar": "protect"}, {"pillar": "pursue"}, {"pillar": "promote", "addressees": []}])
    j1 = two["items"][0]
    s.answer(j1, ministry, "partially", s.at(20))
    three = s.submission([ministry], submitted=s.at(40), items=[{"pillar": "promote"}, {"pillar": "prevent"}])
    k1 = three["items"][0]
    s.answer(k1, ministry, "noted", s.at(35))
    members_only = s.submission([ministry], submitted=s.at(60), visibility="members",
                                acknowledged={ministry: s.at(55)}, deadlines={ministry: (s.day(50), s.day(20))},
                                items=[{"pillar": "pursue"}, {"pillar": "protect"}])
    m1, m2 = members_only["items"]
    s.answer(m1, ministry, "supported", s.at(58))
    s.submission([ministry], submitted=s.at(20), deadlines={ministry: (s.day(6), s.day(-30))},
                 items=[{"pillar": "prevent"}])
    s.submission([ministry], submitted=s.at(2), deadlines={ministry: (s.day(-5), s.day(-60))})
    s.update(i1, ministry, s.day(30))
    s.update(i2, ministry, s.day(400))  # more than a year ago
    s.update(k1, ministry, s.day(100))
    s.update(j1, agency, s.day(3))  # the agency's update, not the ministry's
    s.assess(i1, "partly")  # a word from before the completion scale, then a rating on it: the latter counts
    s.assess(i1, "limited")
    s.assess(i2, "complete")
    s.assess(j1, "agrees")  # the latest is in the earlier words: counted under them
    s.assess(m2, "substantial")
    return {"ministry": ministry, "agency": agency, "one": one, "members_only": members_only,
            "other_reviewer": make_user("reviewer", institution=_institution(story.app, agency))}


def _institution(app, institution_id):
    with app.app_context():
        found = db.session.get(Institution, institution_id)
        db.session.expunge(found)
        return found
