"""A plain-text résumé and a job used by the pipeline and CLI tests."""

RESUME_TXT = """Jane Doe
Senior Software Engineer
jane.doe@example.com | +1 415 555 0100 | San Francisco, CA | github.com/janedoe

SUMMARY
Backend engineer with 9 years of experience building payment and data platforms.

EXPERIENCE
Senior Software Engineer, Stripe
Jan 2020 - Present
- Led a team of 5 engineers to rebuild the payouts service in Go, cutting failures by 35%.
- Migrated 40 services to Kubernetes on AWS, saving $250k a year.
- Responsible for on-call rotations and incident reviews.

Software Engineer, Dropbox
Jun 2015 - Dec 2019
- Built a PostgreSQL sharding layer serving 2M queries per second.
- Designed the React dashboard used by 300 support agents.

EDUCATION
University of California, Berkeley
BS Computer Science, 2011 - 2015

SKILLS
Go, Python, PostgreSQL, Kubernetes, AWS, React, Terraform
"""

JOB_TXT = """Staff Backend Engineer
We need 7+ years of experience with Go or Python and PostgreSQL.
Requirements:
- Kubernetes and AWS in production
- Vue.js for internal tools
- BS in Computer Science
Nice to have:
- Kafka
"""
