"""Django's PostgreSQL backend, for parameters bound by the server (settings: ``server_side_binding``).

PostgreSQL takes at most 65,535 parameters in a statement. Written into the SQL by the client they had no
limit; bound by the server, a ``bulk_create`` of 10,000 rows of ten fields, or the deletion of 70,000 rows,
would be refused. Django already splits those operations for the databases that declare such a limit, so
this backend declares it."""

from itertools import chain

from django.db.backends.postgresql import base, features, operations
from django.db.models import CompositePrimaryKey


class DatabaseFeatures(features.DatabaseFeatures):
    max_query_params = 2**16 - 1


class DatabaseOperations(operations.DatabaseOperations):
    def bulk_batch_size(self, fields, objs):
        """As many rows a statement as their parameters allow (Django's rule for Oracle and SQLite)."""
        columns = list(chain.from_iterable(f.fields if isinstance(f, CompositePrimaryKey) else [f] for f in fields))
        if columns:
            return self.connection.features.max_query_params // len(columns)
        return len(objs)


class DatabaseWrapper(base.DatabaseWrapper):
    features_class = DatabaseFeatures
    ops_class = DatabaseOperations
