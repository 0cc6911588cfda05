"""manage.py generate_synthetic --complaints N --organisations M --years Y --seed S"""

import datetime

from django.core.management.base import BaseCommand, CommandError

from candour.synthetic.generator import Params, generate


class Command(BaseCommand):
    help = "Generate realistic, deterministic synthetic organisations, staff and complaints (for benchmarks)."

    def add_arguments(self, parser):
        parser.add_argument("--complaints", type=int, default=10_000)
        parser.add_argument("--organisations", type=int, default=5, help="The department plus M-1 related bodies.")
        parser.add_argument("--years", type=int, default=3)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--prefix", default="syn", help="Slug prefix, so several data sets can coexist.")
        parser.add_argument(
            "--skip-fk-checks",
            action="store_true",
            help="PostgreSQL superuser only: load without per-row foreign-key trigger checks (faster).",
        )
        parser.add_argument(
            "--defer-indexes",
            action="store_true",
            help="PostgreSQL: drop secondary indexes for the load and rebuild them after (fresh, large loads).",
        )
        parser.add_argument("--today", type=datetime.date.fromisoformat, help="End date (default: today).")

    def handle(self, *args, **options):
        params = Params(
            complaints=options["complaints"],
            organisations=options["organisations"],
            years=options["years"],
            seed=options["seed"],
            prefix=options["prefix"],
            today=options["today"],
            skip_fk_checks=options["skip_fk_checks"],
            defer_indexes=options["defer_indexes"],
        )
        self.stdout.write(f"Generating {params.describe()}")
        try:
            result = generate(params, log=lambda message: self.stdout.write(message))
        except ValueError as error:
            raise CommandError(str(error)) from error
        for table, count in sorted(result.counts.items()):
            self.stdout.write(f"  {table}: {count:,} rows")
        self.stdout.write(
            self.style.SUCCESS(
                f"Done: {result.complaints_per_second:,.0f} complaints/s (with their related rows) "
                f"in {result.seconds.get('complaints', 0):.1f}s"
                + (
                    f"; loading {result.loading_per_second:,.0f}/s, secondary indexes rebuilt in "
                    f"{result.seconds['complaints: index rebuild']:.1f}s"
                    if "complaints: index rebuild" in result.seconds
                    else ""
                )
            )
        )
