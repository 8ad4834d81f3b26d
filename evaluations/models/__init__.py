from evaluations.models.org import Cadre, OrgUnit, StaffProfile
from evaluations.models.visits import Visit

__all__ = ["Cadre", "OrgUnit", "StaffProfile", "Visit"]
