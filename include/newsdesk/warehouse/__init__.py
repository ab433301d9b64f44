"""The warehouse: loading the landing zone, dbt, the writer lock, publishing, read-only queries."""
