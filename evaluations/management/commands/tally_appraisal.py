from django.core.management.base import BaseCommand, CommandError

from evaluations.appraisal import selectors
from evaluations.models import AppraisalSession


def report(result: dict) -> list[str]:
    """The tally as plain lines: per subject the valid ballots, counts, score and flags."""
    lines = [
        f"electorate {result['electorate']}, ballots {result['ballots']}, "
        f"quorum {'met' if result['quorum_met'] else 'NOT met'}"
    ]
    for group in result["groups"]:
        ballots, voters, weight = group["ballots"], group["voters"], group["weight"]
        lines.append(f"  group {group['name']}: {ballots}/{voters} (weight {weight})")
    for subject in result["subjects"]:
        counts = " ".join(f"{g}={n}" for g, n in subject["counts"].items())
        score = "-" if subject["score"] is None else f"{subject['score'] * 100:.1f}"
        flags = "; ".join(f["code"] for f in subject["flags"])
        lines.append(f"{subject['name']}: valid {subject['valid']} {counts} score {score} {flags}")
    return lines


class Command(BaseCommand):
    help = (
        "Recompute the tally of a closed appraisal session from its stored ballots and report "
        "whether it matches the stored result (exit status 1 if it differs)."
    )

    def add_arguments(self, parser):
        parser.add_argument("session", type=int, help="id of the appraisal session")

    def handle(self, *args, session, **options):
        found = AppraisalSession.objects.select_related("branch", "box").filter(pk=session).first()
        if found is None:
            raise CommandError(f"No appraisal session {session}.")
        if not found.is_closed:
            raise CommandError(
                f"Session {session} is not closed: results exist only after closing."
            )
        fresh, matches = selectors.tally_matches(found)
        self.stdout.write(found.title)
        self.stdout.write("\n".join(report(fresh)))
        if matches:
            self.stdout.write(self.style.SUCCESS("MATCHES stored result"))
            return
        self.stdout.write(self.style.ERROR("DIFFERS from stored result"))
        raise SystemExit(1)
