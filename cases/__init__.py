"""Children, cases, the statutory procedure of Decree 56/2017 and its deadlines, assessments, plans, referrals."""
