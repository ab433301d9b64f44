"""Newsdesk: a news-article data warehouse run by Apache Airflow."""

__version__ = "0.1.0"
