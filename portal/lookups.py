"""``<field>__any_array=ArraySubquery(…)``: ``field = ANY(ARRAY(SELECT …))``.

``pk IN (SELECT …)`` OR-ed with another condition becomes a hashed subplan that PostgreSQL checks row by
row (a scan of the whole table). ``pk = ANY(ARRAY(SELECT …))`` runs the subquery once (an InitPlan) and
compares with its result on an index, so ``agency_id IN (…) OR pk = ANY(ARRAY(…))`` is a BitmapOr of two
index scans: the cost follows the rows visible, not the table. Same rows, same single query."""

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Field, ForeignObject, Lookup


class AnyArray(Lookup):
    lookup_name = "any_array"
    prepare_rhs = False

    def __init__(self, lhs, rhs):
        if isinstance(rhs, ArraySubquery):
            # ``= ANY`` ignores the array's order: unordered, the subquery no longer sorts its rows by its
            # model's ordering (a district's 89 organizations by level and name, before every catalog scan).
            rhs = rhs.copy()
            rhs.query.clear_ordering(force=True)
        super().__init__(lhs, rhs)

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs})", [*lhs_params, *rhs_params]


def install() -> None:
    Field.register_lookup(AnyArray)
    ForeignObject.register_lookup(AnyArray)  # ``system__any_array``: related fields keep their own lookups
