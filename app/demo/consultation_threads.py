"""What the alliance said in the demo consultation on the UNTOC declaration (declarations.py), as threads
(see threads.py): targets are indexes into its sections, recommendations and amendments."""

THREADS = [
    (("recommendation", 8), [
        ("rep2@example.org", 21, "12:05", "Our lawyers see the same pattern every week in the Karachi courts: "
         "trafficking cases are prosecuted by whoever is on duty that day. Specialised units would change that. "
         "Strongly support."),
        ("plc@example.org", 20, "09:40", "Units alone will not help if prosecutors rotate every year. Ask for a "
         "minimum posting of three years, with training before the posting rather than after it."),
        ("rep2@example.org", 20, "13:05", "Good addition. Three years is also what the prosecutors we spoke to "
         "asked for themselves."),
    ]),
    (("recommendation", 0), [
        ("scdo@example.org", 20, "11:15", "ہمارے ضلع میں زیادہ تر متاثرین کو رشتہ داروں یا جاننے والوں نے ہی "
         "بیرون ملک نوکری کا جھانسہ دیا۔ آگاہی مہم مسجد، اسکول اور یونین کونسل کی سطح پر ہونی چاہیے۔"),
        ("mowwt@example.org", 20, "18:40", "The same in Mirpur: the recruiter is usually a cousin or a neighbour "
         "with a relative abroad. Campaigns that tell real cases from the district work better than posters "
         "about 'illegal agents'."),
        ("member@example.org", 19, "10:05", "Could we name the districts? The calls to our helpline over the last "
         "two years point to Sialkot, Gujranwala, Mandi Bahauddin and Dera Ghazi Khan."),
    ]),
    (("recommendation", 9), [
        ("expert3@example.org", 19, "14:20", "The money is where these networks can be hurt. Drivers and boat "
         "crews are replaced within a week; the hawala operators who hold the fees are not."),
        ("bhrc@example.org", 17, "20:15", "From Turbat we can confirm it: families pay in Gujranwala or Quetta, and "
         "the money never travels with the migrant. Following it is the only way to reach the organizers."),
    ]),
    (("recommendation", 17), [
        ("expert2@example.org", 19, "17:30", "Please name the non-punishment principle. The Trafficking Protocol "
         "does not spell it out, but the UNTOC Working Group on Trafficking in Persons has recommended it for "
         "years, so the government has heard it before."),
        ("rep@example.org", 18, "10:50", "I would soften 'never': an absolute will be rejected outright. The "
         "standard wording, not prosecuted or punished for offences they were compelled to commit, is stronger "
         "in practice. I am proposing it as an amendment."),
        ("expert2@example.org", 17, "09:20", "Fair enough, as long as 'as a direct result of being trafficked' "
         "stays in. I have said so on the amendment."),
    ]),
    (("amendment", 0), [
        ("expert2@example.org", 17, "09:25", "I support this wording. It follows the UN and OSCE guidance, so "
         "nobody can call it new."),
        ("rep2@example.org", 16, "14:40", "Support as well. In our Karachi cases, women rescued in raids are often "
         "charged before anyone asks how they got there."),
    ]),
    (("recommendation", 7), [
        ("mowwt@example.org", 18, "12:30", "Licensed promoters are only half the problem. Most families we help "
         "paid a sub-agent who works for a licensed promoter but appears in no record. The licence holder should "
         "answer for its sub-agents."),
        ("expert2@example.org", 18, "16:10", "Strongly agree, and cancelled licences should be published with the "
         "owners' names, so that a promoter cannot reopen under a new company name the next month."),
    ]),
    (("recommendation", 16), [
        ("rep3@example.org", 17, "10:25", "Shelters exist on paper in two provinces but are not running for lack of "
         "staff. Ask for staffed shelters with their own budget line, not for buildings."),
        ("trrs@example.org", 16, "19:50", "In Tharparkar the nearest shelter is in Hyderabad, a day's travel away. "
         "A referral mechanism has to include transport and a safe place for the first night."),
        ("rep4@example.org", 15, "12:10", "بلوچستان میں بھی یہی صورت حال ہے۔ ہر ڈویژن میں کم از کم ایک عارضی "
         "پناہ گاہ ہونی چاہیے جہاں پہلی رات محفوظ گزاری جا سکے۔"),
    ]),
    (("recommendation", 15), [
        ("cfa@example.org", 16, "11:00", "Ask for the statistics on a fixed date each year, by province. Otherwise "
         "a report appears once and never again."),
        ("expert@example.org", 16, "15:30", "And by form of exploitation: forced labour, sexual exploitation, "
         "domestic servitude. Lumped together, they hide how rarely labour trafficking is prosecuted."),
    ]),
    (("section", 0), [
        ("ifrc@example.org", 15, "09:10", "Please add fishing communities to the preamble. Boys from the coast are "
         "recruited onto boats and end up in forced labour at sea."),
    ]),
    (("recommendation", 1), [
        ("cmr@example.org", 14, "09:30", "Cheaper channels matter most. The official fees, a licensed promoter's "
         "charges and the months of waiting often cost more than what an irregular agent asks, so families choose "
         "the agent."),
        ("mowwt@example.org", 13, "20:40", "And the requirements should be posted in every Protector of Emigrants "
         "office in plain Urdu. Most families we meet have never seen them."),
    ]),
    (("recommendation", 18), [
        ("cljr@example.org", 14, "11:40", "Sindh and Punjab already have witness protection laws; what is missing "
         "is money and an agency independent of the police. The recommendation should say 'fund and make "
         "independent', not only 'enact'."),
        ("rep2@example.org", 13, "16:00", "From Karachi: we have yet to see the Sindh programme cover a trafficking "
         "witness from our cases. Independence is the word to keep."),
    ]),
    (("recommendation", 23), [
        ("abla@example.org", 14, "13:15", "بھٹوں پر کام کرنے والے خاندان پیشگی کے قرض میں نسلوں تک پھنسے رہتے "
         "ہیں۔ ضلعی ویجیلنس کمیٹیاں برسوں سے نہیں بیٹھیں، انہیں فعال کیا جائے۔"),
        ("rep@example.org", 13, "10:00", "Agreed. The Bonded Labour System (Abolition) Act already provides for "
         "these committees; reviving them costs almost nothing and gives inspectors someone to report to."),
    ]),
    (("recommendation", 20), [
        ("mmd@example.org", 12, "12:00", "A helpline is welcome, but survivors of sextortion mostly need the "
         "images taken down fast. Ask for a takedown channel with the platforms and the regulator, with a "
         "response time."),
        ("craf@example.org", 11, "17:20", "For children the helpline must be able to refer to a child protection "
         "unit the same day. Punjab's Child Protection Bureau already runs a helpline the other provinces could "
         "learn from."),
    ]),
    (("recommendation", 2), [
        ("member@example.org", 12, "15:10", "Teachers in our workshops asked for something simple: a card saying "
         "whom to call when a pupil tells them about abuse online. Could the recommendation mention it?"),
        ("craf@example.org", 11, "09:50", "We printed such cards in Faisalabad, with the number of the district "
         "child protection unit on them. Happy to share the design with anyone who wants it."),
    ]),
    (("recommendation", 21), [
        ("ipp@example.org", 11, "10:30", "This will be contested, but it is right. Prisons are where many young "
         "users meet the networks that later recruit them as couriers."),
        ("expert@example.org", 10, "14:45", "Agreed. Voluntary is the key word: the forced 'rehabilitation' "
         "centres in some cities are part of the problem."),
    ]),
    (("recommendation", 26), [
        ("rep4@example.org", 10, "11:00", "Include transit countries, not only destinations. People from "
         "Balochistan are abused in Iran and Turkey long before they reach Europe."),
        ("cmr@example.org", 9, "09:45", "And the memoranda should be published. Most of those signed so far are "
         "not public, so nobody can check what they say about protecting workers."),
    ]),
    (("recommendation", 18), [
        ("bhrn@example.org", 9, "15:00", "Posting again without the place, as asked: the family of a survivor we "
         "support still receives threats a year after she escaped. Protection has to start with the first report "
         "to the police, not at the trial."),
    ]),
    (("section", 1), [
        ("kti@example.org", 9, "16:30", "The context could say that most victims are exploited inside the country, "
         "in kilns, fields and homes. Otherwise readers think only of cross-border cases."),
        ("expert@example.org", 8, "10:20", "That is what the court records we studied show too. I proposed an "
         "amendment to this section yesterday about compensation; internal trafficking deserves its own line as "
         "well."),
    ]),
    (("amendment", 1), [
        ("member@example.org", 8, "14:00", "Support. Compensation also belongs in the follow-up section if we want "
         "the ministry to report on it."),
    ]),
    (("recommendation", 24), [
        ("wja@example.org", 7, "12:00", "Ask for the review report to be translated into Urdu when it is "
         "published. Otherwise almost nobody outside Islamabad will read it."),
    ]),
    (("section", 3), [
        ("gyp@example.org", 6, "18:30", "Gilgit-Baltistan was not among the workshop cities. Could the online "
         "session be announced early enough for groups in the north to join? Connections are slow here, so a "
         "phone dial-in would help."),
        ("coordinator@example.org", 6, "20:10", "Thank you. The online session later this week will have a phone "
         "dial-in, and we are sending the link to groups in Gilgit-Baltistan and Chitral directly."),
    ]),
    (("recommendation", 5), [
        ("ipp@example.org", 5, "11:25", "Digitisation has been announced before. Ask for a deadline, and for the "
         "provincial and federal registers to be merged, so that a licence refused in one province cannot be "
         "obtained in another."),
    ]),
    (("recommendation", 11), [
        ("cfa@example.org", 4, "10:40", "This should also cover officials at airports who sell exit clearances and "
         "forged protector stamps, not only those at land crossings."),
        ("expert3@example.org", 3, "15:00", "And link it to the asset declarations in recommendation 4: "
         "unexplained wealth is often the first sign."),
    ]),
    (("recommendation", 29), [
        ("sss@example.org", 3, "12:20", "Multi-year funding, please. Shelters that live on one-year grants close "
         "whenever a donor changes strategy, and survivors lose their caseworker."),
        ("dwda@example.org", 2, "17:00", "Yes. Our legal clinic in Dir closed for four months between two grants, "
         "and two cases were dismissed because nobody appeared for the survivors."),
    ]),
    (("recommendation", 22), [
        ("rep@example.org", 2, "10:15", "Good to see this. Could we add that compensation should not depend on a "
         "conviction? Many cases end in a compromise, and the survivor gets nothing."),
        ("rep2@example.org", 1, "16:20", "Agree. Most cases we follow in Sindh end in a compromise between the "
         "families before the verdict, and the survivor is rarely even asked."),
    ]),
    (("recommendation", 10), [
        ("expert3@example.org", 1, "11:00", "A measurable target would help: a parallel financial investigation in "
         "every trafficking or smuggling case the FIA registers."),
    ]),
    # On the Urdu text, answered by the declaration's translator.
    (("recommendation", 19), [
        ("rep4@example.org", 15, "19:30", "اردو متن میں 'اسمگل شدہ تارکینِ وطن' لکھا گیا ہے۔ کوئٹہ میں جن لوگوں "
         "کے ساتھ ہم کام کرتے ہیں، وہ یہ الفاظ سن کر سمجھتے ہیں کہ قصوروار وہی ہیں۔ اگر 'وہ تارکینِ وطن جنہیں "
         "اسمگل کیا گیا' لکھا جائے تو واضح ہو جائے گا کہ جرم اسمگلروں نے کیا ہے۔"),
        ("member@example.org", 14, "11:10", "بجا فرمایا، شکریہ۔ نظرِ ثانی کے مرحلے میں اردو متن میں یہی الفاظ رکھے "
         "جائیں گے۔ انگریزی متن میں تبدیلی کی ضرورت نہیں، کیونکہ وہاں مفہوم پہلے ہی واضح ہے۔"),
    ]),
]

# Flagged the same afternoon and hidden by the coordinator the next morning; its author posted it again without
# the place (the thread above that starts "Posting again").
TAKEN_DOWN = (("recommendation", 18), [
    ("bhrn@example.org", 10, "13:00", "Witnesses need protection now. In Chak 27 near Okara, the family of the girl "
     "who escaped a kiln last year still receives threats, and everyone in the village knows her name."),
])

# Flagged two days ago; waits in the coordinator's moderation queue.
DISPUTED = (("recommendation", 11), [
    ("kti@example.org", 3, "19:30", "The anti-trafficking circle in our city is part of the business. Everyone "
     "knows which inspector to pay to get a case dropped."),
])
