"""Pages in the Airflow UI: quality reports with Data Docs, run reports, behind Airflow's login."""
