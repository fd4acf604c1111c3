"""`sekretariat search_worker`: the former name of `sekretariat worker` (kept for scripts)."""

from sekretariat.core.management.commands.worker import Command as WorkerCommand


class Command(WorkerCommand):
    help = "The same as `sekretariat worker` (its former name)."
