"""Words that never make a job keyword: English function words and job-ad boilerplate."""

from __future__ import annotations

_ENGLISH = """
a about above across after again against all almost along also although always am among an
and another any anyone anything are around as at away back be became because become been
before being below best better between both but by can cannot could did do does doing done
down during each either else enough etc even ever every few for from further get gets getting
give given go going good got great had has have having he her here hers him his how however
i if in include includes including into is it its itself just keep know last least less let
like likely made make makes making many may me might more most much must my need needs
neither never new next no nor not now of off often on once one only onto or other others our
ours out over own part per perhaps please quite rather really same see seem several shall she
should since so some something still such take than that the their them themselves then there
these they thing things this those though through throughout thus to together too toward
towards under until up upon us use used uses using very via want was way ways we well were
what whatever when where whether which while who whom whose why will with within without
would yet you your yours yourself able across already across etc ie eg
"""
_JOB_ADS = """
ability abilities apply applicant applicants application benefits bonus build building
candidate candidates career careers clients company culture customer customers day days degree
deliver delivering demonstrated description develop developing development diverse diversity
environment equal employer employment excellent expected experience experienced expertise
familiarity familiar field fluency full fast growth help hiring hours ideal ideally impact
including industry job join knowledge level looking location manage management members
minimum mission office offer opportunity opportunities paced passion passionate people
plus position practices preferred product products proficiency proficient program projects
qualification qualifications related relevant remote required requirement requirements
responsibilities responsibility responsible role roles salary senior similar skill skills
solid solutions strong success successful support team teams technical technologies technology
time tools understanding values work working world year years junior mid lead staff principal
across within including opportunity highly closely day-to-day requires require plus bonus
excellent great good strong nice must have will would should want us our you your we
engineer engineers engineering developer developers data design designing system systems
platform platforms service services process processes hands ownership own owning closely
collaborate collaborating collaboration building built maintain maintaining operate operating
ensure ensuring drive driving create creating improve improving write writing best practice
"""
STOPWORDS = frozenset((_ENGLISH + _JOB_ADS).split())
