# Newsdesk on the official Airflow image: the same Airflow version as
# requirements.lock, plus the project's locked dependencies and its code.
ARG AIRFLOW_VERSION=3.3.2
FROM apache/airflow:${AIRFLOW_VERSION}-python3.11

ARG AIRFLOW_VERSION
WORKDIR /opt/newsdesk

# Dependencies first, so a code change does not reinstall them: the runtime
# and the cluster extra (not bench or dev) at the lock's versions. Pinning
# apache-airflow to the image's own version keeps pip from swapping it out.
COPY --chown=airflow:0 requirements.lock pyproject.toml README.md ./
RUN python -c "import tomllib; p = tomllib.load(open('pyproject.toml', 'rb'))['project']; \
print('\n'.join(p['dependencies'] + p['optional-dependencies']['cluster']))" > /tmp/requirements.in \
 && pip install --no-cache-dir "apache-airflow==${AIRFLOW_VERSION}" -r /tmp/requirements.in -c requirements.lock

# The code: the package is installed in place (editable) because it finds its
# dbt project and suites beside itself, in /opt/newsdesk.
COPY --chown=airflow:0 include ./include
COPY --chown=airflow:0 dags ./dags
COPY --chown=airflow:0 dbt ./dbt
COPY --chown=airflow:0 expectations ./expectations
COPY --chown=airflow:0 plugins ./plugins
RUN pip install --no-cache-dir --no-deps -e .

ENV AIRFLOW__CORE__DAGS_FOLDER=/opt/newsdesk/dags \
    AIRFLOW__CORE__PLUGINS_FOLDER=/opt/newsdesk/plugins \
    NEWSDESK_HOME=/opt/newsdesk-data
