"""What ties the logic to Airflow: task docs, dbt node tasks, alerts, running and serving Airflow."""
